import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore, encodeKey, ensureBus, gatewayBusKey, publishXdsEvent, type KubeObject, type StatusRecord } from "@gatehouse/bus";
import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { register } from "prom-client";
import type { EngineOutput } from "../engine/translation-engine";
import { TranslatorService } from "./translator-service";

const CONTROLLER = "example.com/test-controller";
const gatewayClass: KubeObject = { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gc" }, spec: { controllerName: CONTROLLER } };
const gateway = (name: string): KubeObject => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name, namespace: "default" },
  spec: { gatewayClassName: "gc", listeners: [{ name: "http", protocol: "HTTP", port: 8080 }] },
});
const service: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "svc", namespace: "default" }, spec: { ports: [{ port: 80 }] } };
const route = (name: string, gw: string, prefix: string): KubeObject => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name, namespace: "default" },
  spec: { parentRefs: [{ name: gw }], rules: [{ matches: [{ path: { type: "PathPrefix", value: prefix } }], backendRefs: [{ name: "svc", port: 80 }] }] },
});
const keyOf = (o: KubeObject) => encodeKey({ kind: o.kind, namespace: o.metadata.namespace ?? "", name: o.metadata.name });

describe("TranslatorService", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let translator: TranslatorService | undefined;
  let resources: BucketStore<"resources">;
  let ir: BucketStore<"ir">;
  let status: BucketStore<"status">;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureBus(nc);
    resources = await BucketStore.open(nc, "resources");
    ir = await BucketStore.open(nc, "ir");
    status = await BucketStore.open(nc, "status");
  });
  afterAll(async () => {
    await translator?.close();
    await nc?.close();
    await server?.stop();
  });

  const put = (o: KubeObject) => resources.put(keyOf(o), { object: o, source: "test" });
  const irPaths = async (gw: string) => JSON.stringify((await ir.get(gatewayBusKey({ namespace: "default", name: gw })))?.value.ir ?? null);
  const gatewayStatus = async (gw: string) =>
    (await status.get(encodeKey({ kind: "Gateway", namespace: "default", name: gw })))?.value as StatusRecord | undefined;
  const programmed = async (gw: string) =>
    ((await gatewayStatus(gw))?.status as { conditions?: { type: string; status: string; message: string }[] } | undefined)?.conditions?.find(
      (c) => c.type === "Programmed",
    );

  it("translates the replay once, then follows changes, deletions and proxy NACKs", async () => {
    for (const o of [gatewayClass, gateway("a"), gateway("b"), service, route("r1", "a", "/one"), route("r2", "b", "/two")]) await put(o);
    translator = new TranslatorService({ nc, logger: pino({ level: "silent" }), controllerName: CONTROLLER });
    await translator.start();
    expect(translator.ready).toBe(true);
    expect(await irPaths("a")).toContain('"/one"');
    expect(await irPaths("b")).toContain('"/two"');
    const routeStatus = (await status.get(keyOf(route("r1", "a", "/one"))))!.value.status as { parents: { conditions: { type: string; status: string }[] }[] };
    expect(routeStatus.parents[0].conditions.find((c) => c.type === "Accepted")?.status).toBe("True");

    // An edit retranslates and republishes only Gateway a.
    const bBefore = (await ir.get(gatewayBusKey({ namespace: "default", name: "b" })))!.revision;
    await put(route("r1", "a", "/one-v2"));
    await waitFor(async () => (await irPaths("a")).includes('"/one-v2"'));
    await translator.idle();
    expect((await ir.get(gatewayBusKey({ namespace: "default", name: "b" })))!.revision).toBe(bBefore);

    // A proxy NACK turns Programmed False until the proxy ACKs that type again.
    const cds = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    const event = { nodeId: "envoy-1", gatewayKey: "default/a", typeUrl: cds, version: "v9", nonce: "1", errorDetail: "bad cluster", timeUnixMs: Date.now(), serverId: "x" };
    await publishXdsEvent(nc, { ...event, kind: "NACK" });
    await waitFor(async () => (await programmed("a"))?.status === "False");
    expect((await programmed("a"))?.message).toContain("bad cluster");
    await publishXdsEvent(nc, { ...event, kind: "ACK", errorDetail: "" });
    await waitFor(async () => (await programmed("a"))?.status === "True");

    // A deleted Gateway loses its IR and status.
    await resources.delete(keyOf(gateway("b")));
    await waitFor(async () => (await irPaths("b")) === "null");
    await waitFor(async () => (await gatewayStatus("b")) === undefined);
  });

  it("after a restart publishes nothing that is unchanged and withdraws what vanished meanwhile", async () => {
    await translator!.close();
    translator = undefined;
    const aBefore = (await ir.get(gatewayBusKey({ namespace: "default", name: "a" })))!.revision;
    await resources.delete(keyOf(route("r2", "b", "/two")));
    await put(gateway("c"));
    translator = new TranslatorService({ nc, logger: pino({ level: "silent" }), controllerName: CONTROLLER });
    await translator.start();
    expect((await ir.get(gatewayBusKey({ namespace: "default", name: "a" })))!.revision).toBe(aBefore);
    expect(await irPaths("c")).not.toBe("null");
    expect(await status.get(keyOf(route("r2", "b", "/two")))).toBeUndefined();
  });

  it("reports in route status what Envoy's rules would cut, and keeps the neighbours Accepted", async () => {
    type Parent = { parentRef: { name: string }; conditions: { type: string; status: string; reason: string; message: string }[] };
    const parentOf = async (o: KubeObject) => ((await status.get(keyOf(o)))?.value.status as { parents?: Parent[] } | undefined)?.parents?.[0];
    const rule = (prefix: string, redirectPath?: string) => ({
      matches: [{ path: { type: "PathPrefix", value: prefix } }],
      ...(redirectPath
        ? { filters: [{ type: "RequestRedirect", requestRedirect: { path: { type: "ReplaceFullPath", replaceFullPath: redirectPath } } }] }
        : { backendRefs: [{ name: "svc", port: 80 }] }),
    });
    // Passes Gateway API validation (replaceFullPath has no pattern) but Envoy's
    // path_redirect must not contain CR or LF: only libs/xds catches it.
    const partly: KubeObject = { ...route("partly", "a", "/p"), spec: { parentRefs: [{ name: "a" }], rules: [rule("/p/ok"), rule("/p/bad", "/x\ny")] } };
    const wholly: KubeObject = { ...route("wholly", "a", "/w"), spec: { parentRefs: [{ name: "a" }], rules: [rule("/w/bad", "/x\ry")] } };
    await put(partly);
    await put(wholly);
    await waitFor(async () => (await parentOf(wholly))?.conditions.find((c) => c.type === "Accepted")?.status === "False");
    await waitFor(async () => (await parentOf(partly))?.conditions.some((c) => c.type === "PartiallyInvalid") ?? false);

    const p = (await parentOf(partly))!;
    expect(p.conditions.find((c) => c.type === "Accepted")?.status).toBe("True");
    const partial = p.conditions.find((c) => c.type === "PartiallyInvalid")!;
    expect(partial).toMatchObject({ status: "True", reason: "UnsupportedValue" });
    expect(partial.message).toMatch(/^Dropped Rule\(s\) \[1\]: Envoy would reject rule 1 match 0: .*path_redirect must not contain NUL, CR or LF/);
    const w = (await parentOf(wholly))!;
    expect(w.conditions.find((c) => c.type === "Accepted")).toMatchObject({ status: "False", reason: "UnsupportedValue" });
    expect(w.conditions.find((c) => c.type === "PartiallyInvalid")).toBeUndefined();
    // The neighbour on the same Gateway is untouched.
    const neighbour = (await parentOf(route("r1", "a", "/one-v2")))!;
    expect(neighbour.conditions.map((c) => [c.type, c.status])).toEqual([
      ["Accepted", "True"],
      ["ResolvedRefs", "True"],
    ]);

    // Fixing the rule clears the condition.
    await put({ ...partly, spec: { parentRefs: [{ name: "a" }], rules: [rule("/p/ok"), rule("/p/bad", "/fixed")] } });
    await waitFor(async () => !((await parentOf(partly))?.conditions.some((c) => c.type === "PartiallyInvalid") ?? true));
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("TranslatorService start", () => {
  /** Holds its first publish (the full translation after the replay) until released. */
  class HeldFirstPublish extends TranslatorService {
    private held = true;
    readonly publishing = resolvers();
    readonly release = resolvers();
    protected override async publish(out: EngineOutput): Promise<void> {
      if (this.held) {
        this.held = false;
        this.publishing.resolve();
        await this.release.promise;
      }
      return super.publish(out);
    }
  }

  function resolvers(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  const changesSeen = async () =>
    ((await register.getSingleMetric("gatehouse_translator_changes_total")?.get())?.values ?? []).reduce((n, v) => n + v.value, 0);

  it("keeps the changes that arrive while its first translation is being published", async () => {
    const server = await startNatsServer({ forceSpawn: true });
    const nc = await connect({ servers: server.url });
    const translator = new HeldFirstPublish({ nc, logger: pino({ level: "silent" }), controllerName: CONTROLLER });
    try {
      await ensureBus(nc);
      const resources = await BucketStore.open(nc, "resources");
      const ir = await BucketStore.open(nc, "ir");
      const put = (o: KubeObject) => resources.put(keyOf(o), { object: o, source: "test" });
      for (const o of [gatewayClass, gateway("c"), service, route("late", "c", "/before")]) await put(o);
      const starting = translator.start();
      await translator.publishing.promise;
      const seen = await changesSeen();
      await put(route("late", "c", "/after"));
      await waitFor(async () => (await changesSeen()) > seen); // the translator has the change
      translator.release.resolve();
      await starting;
      await translator.idle();
      const published = JSON.stringify((await ir.get(gatewayBusKey({ namespace: "default", name: "c" })))?.value.ir ?? null);
      expect(published).toContain('"/after"');
    } finally {
      translator.release.resolve();
      await translator.close();
      await nc.close();
      await server.stop();
    }
  });

  it("reports the proxy Service's addresses in Gateway status, follows its load balancer and its Deployment's available replicas, and takes the proxies' IP family from their ProxyConfig", async () => {
    const server = await startNatsServer({ forceSpawn: true });
    const nc = await connect({ servers: server.url });
    const translator = new TranslatorService({ nc, logger: pino({ level: "silent" }), controllerName: CONTROLLER, ipFamily: "DualStack" });
    try {
      await ensureBus(nc);
      const resources = await BucketStore.open(nc, "resources");
      const ir = await BucketStore.open(nc, "ir");
      const status = await BucketStore.open(nc, "status");
      const put = (o: KubeObject) => resources.put(keyOf(o), { object: o, source: "test" });
      const edge = { ...gateway("edge"), spec: { ...(gateway("edge").spec as object), infrastructure: { parametersRef: { group: "gateway.gatehouse.dev", kind: "ProxyConfig", name: "v6" } } } };
      const proxyConfig: KubeObject = { apiVersion: "gateway.gatehouse.dev/v1alpha1", kind: "ProxyConfig", metadata: { name: "v6", namespace: "default" }, spec: { ipFamily: "IPv6" } };
      // The Service the watcher applies for the Gateway (libs/infra's name and owner labels), load balancer pending.
      const labels = {
        "app.kubernetes.io/component": "envoy-proxy",
        "app.kubernetes.io/managed-by": "gatehouse",
        "gateway.networking.k8s.io/gateway-name": "edge",
        "gatehouse.dev/owning-gateway-name": "edge",
        "gatehouse.dev/owning-gateway-namespace": "default",
      };
      const proxyService = (ingress: object[]): KubeObject => ({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "gatehouse-edge", namespace: "default", labels },
        spec: { type: "LoadBalancer", clusterIP: "10.0.0.5", ports: [{ name: "tcp-8080", port: 8080 }] },
        status: { loadBalancer: { ingress } },
      });
      for (const o of [gatewayClass, edge, proxyConfig, proxyService([])]) await put(o);
      await translator.start();
      const gwStatus = async () => (await status.get(encodeKey({ kind: "Gateway", namespace: "default", name: "edge" })))?.value.status as { addresses?: unknown; conditions: { type: string; reason: string }[] } | undefined;
      expect((await gwStatus())?.conditions.find((c) => c.type === "Programmed")?.reason).toBe("AddressNotAssigned");
      expect((await gwStatus())?.addresses).toBeUndefined();
      expect((await ir.get(gatewayBusKey({ namespace: "default", name: "edge" })))?.value.ir.ipFamily).toBe("IPv6");

      // The load balancer assigns an address: only the Service changed, and the Gateway is
      // retranslated; with no proxy Deployment yet nothing serves it (NoResources).
      const programmed = async () => (await gwStatus())?.conditions.find((c) => c.type === "Programmed")?.reason;
      await put(proxyService([{ ip: "203.0.113.7" }]));
      await waitFor(async () => (await programmed()) === "NoResources");
      expect((await gwStatus())?.addresses).toEqual([{ type: "IPAddress", value: "203.0.113.7" }]);

      // The proxy Deployment as the watcher publishes it: first no replica available, then one.
      const proxyDeployment = (availableReplicas: number): KubeObject => ({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "gatehouse-edge", namespace: "default", labels },
        status: { replicas: 1, ...(availableReplicas > 0 ? { readyReplicas: availableReplicas, availableReplicas } : {}) },
      });
      await put(proxyDeployment(0));
      await waitFor(async () => ((await gwStatus())?.conditions.find((c) => c.type === "Programmed") as { message?: string } | undefined)?.message?.includes("none of its 1 replicas") === true);
      await put(proxyDeployment(1));
      await waitFor(async () => (await programmed()) === "Programmed");

      // A class without Gateways names a ProxyConfig that does not exist, then it appears.
      const lonely: KubeObject = {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "GatewayClass",
        metadata: { name: "lonely" },
        spec: { controllerName: CONTROLLER, parametersRef: { group: "gateway.gatehouse.dev", kind: "ProxyConfig", name: "later", namespace: "default" } },
      };
      const classAccepted = async () =>
        ((await status.get(encodeKey({ kind: "GatewayClass", namespace: "", name: "lonely" })))?.value.status as { conditions: { type: string; reason: string }[] } | undefined)?.conditions.find((c) => c.type === "Accepted")?.reason;
      await put(lonely);
      await waitFor(async () => (await classAccepted()) === "InvalidParameters");
      await put({ ...proxyConfig, metadata: { name: "later", namespace: "default" } });
      await waitFor(async () => (await classAccepted()) === "Accepted");
    } finally {
      await translator.close();
      await nc.close();
      await server.stop();
    }
  });
});
