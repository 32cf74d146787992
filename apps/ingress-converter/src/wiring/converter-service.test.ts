import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore, encodeKey, ensureBus, type KubeObject, type StatusRecord } from "@gatehouse/bus";
import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { IngressConverterService } from "./converter-service";

const ingressClass: KubeObject = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "gatehouse" }, spec: { controller: "gatehouse.dev/ingress-controller" } };
const service: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { namespace: "shop", name: "web" }, spec: { ports: [{ name: "http", port: 8080 }] } };
const ingress = (name: string, host: string, path: string, created: string): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { namespace: "shop", name, creationTimestamp: created },
  spec: { ingressClassName: "gatehouse", rules: [{ host, http: { paths: [{ path, pathType: "Prefix", backend: { service: { name: "web", port: { name: "http" } } } }] } }] },
});
const keyOf = (o: { kind: string; metadata: { namespace?: string; name: string } }) => encodeKey({ kind: o.kind, namespace: o.metadata.namespace ?? "", name: o.metadata.name });
const ROUTE_A = encodeKey({ kind: "HTTPRoute", namespace: "shop", name: "a" });
const ROUTE_B = encodeKey({ kind: "HTTPRoute", namespace: "shop", name: "b" });
const GATEWAY = encodeKey({ kind: "Gateway", namespace: "gatehouse-system", name: "gatehouse" });
const GATEWAY_CLASS = encodeKey({ kind: "GatewayClass", namespace: "", name: "gatehouse" });

/** Polls until `check` returns a value (not undefined), failing loudly at the deadline. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("IngressConverterService", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let resources: BucketStore<"resources">;
  let derived: BucketStore<"derived">;
  let converter: IngressConverterService | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureBus(nc);
    resources = await BucketStore.open(nc, "resources");
    derived = await BucketStore.open(nc, "derived");
  });
  afterAll(async () => {
    await converter?.close();
    await nc?.close();
    await server?.stop();
  });

  const put = (o: KubeObject) => resources.put(keyOf(o), { object: o, source: "test" });
  const start = async () => {
    converter = new IngressConverterService({ nc, logger: pino({ level: "silent" }), convert: {} });
    await converter.start();
  };
  const revision = async (key: string) => (await derived.kv.get(key))?.revision;
  const routePath = async (key: string) => {
    const got = await derived.get(key);
    return (got?.value.object.spec as { rules: { matches: { path: { value: string } }[] }[] } | undefined)?.rules[0].matches[0].path.value;
  };

  it("publishes the replay's conversion, then follows edits and deletions, writing only what changed", async () => {
    for (const o of [ingressClass, service, ingress("a", "a.example.com", "/one", "2024-01-01T00:00:00Z")]) await put(o);
    await start();
    expect(converter!.ready).toBe(true);
    expect(await routePath(ROUTE_A)).toBe("/one");
    const gatewayRevision = await revision(GATEWAY);
    expect(gatewayRevision).toBeGreaterThan(0);
    expect((await derived.get(ROUTE_A))?.value.source).toBe("ingress-converter");

    // An edit rewrites the route, not the Gateway.
    await put(ingress("a", "a.example.com", "/two", "2024-01-01T00:00:00Z"));
    await eventually("the edited route", async () => ((await routePath(ROUTE_A)) === "/two" ? true : undefined));
    expect(await revision(GATEWAY)).toBe(gatewayRevision);

    // A second Ingress adds its route; deleting the first removes only its route.
    await put(ingress("b", "b.example.com", "/bee", "2024-02-01T00:00:00Z"));
    await eventually("the second route", async () => ((await routePath(ROUTE_B)) === "/bee" ? true : undefined));
    await resources.delete(keyOf(ingress("a", "", "", "")));
    await eventually("the first route gone", async () => ((await derived.get(ROUTE_A)) === undefined ? true : undefined));
    expect(await routePath(ROUTE_B)).toBe("/bee");
    expect(await revision(GATEWAY)).toBe(gatewayRevision);

    // A named port follows its Service.
    await put({ ...service, spec: { ports: [{ name: "http", port: 9090 }] } });
    await eventually("the route on the new port", async () => {
      const port = ((await derived.get(ROUTE_B))?.value.object.spec as { rules: { backendRefs: { port: number }[] }[] }).rules[0].backendRefs[0].port;
      return port === 9090 ? true : undefined;
    });
  });

  it("after a restart rewrites nothing that is unchanged and removes what vanished while it was down", async () => {
    await converter!.close();
    converter = undefined;
    const before = { route: await revision(ROUTE_B), gateway: await revision(GATEWAY), gatewayClass: await revision(GATEWAY_CLASS) };
    await start();
    expect({ route: await revision(ROUTE_B), gateway: await revision(GATEWAY), gatewayClass: await revision(GATEWAY_CLASS) }).toEqual(before);
    // While it is down, the last Ingress goes: everything it generated must go with it.
    await converter!.close();
    converter = undefined;
    await resources.delete(keyOf(ingress("b", "", "", "")));
    await start();
    for (const key of [ROUTE_B, GATEWAY, GATEWAY_CLASS]) expect(await derived.get(key), key).toBeUndefined();
  });
});

describe("IngressConverterService: Ingress status", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let resources: BucketStore<"resources">;
  let status: BucketStore<"status">;
  let ingressStatus: BucketStore<"ingress-status">;
  let converter: IngressConverterService | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureBus(nc);
    resources = await BucketStore.open(nc, "resources");
    status = await BucketStore.open(nc, "status");
    ingressStatus = await BucketStore.open(nc, "ingress-status");
  });
  afterAll(async () => {
    await converter?.close();
    await nc?.close();
    await server?.stop();
  });

  const put = (o: KubeObject) => resources.put(keyOf(o), { object: o, source: "test" });
  const gatewayStatus = (addresses: { type?: string; value: string }[]): StatusRecord => ({
    ref: { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "gatehouse-system", name: "gatehouse" },
    observedGeneration: 1,
    status: { addresses, conditions: [{ type: "Programmed", status: "True", reason: "Programmed", message: "", observedGeneration: 1, lastTransitionTime: "2026-01-01T00:00:00Z" }] },
  });
  const loadBalancerOf = async (name: string) => ((await ingressStatus.get(encodeKey({ kind: "Ingress", namespace: "shop", name })))?.value.status as { loadBalancer: unknown } | undefined)?.loadBalancer;
  const ingressStatusRevision = async (name: string) => (await ingressStatus.kv.get(encodeKey({ kind: "Ingress", namespace: "shop", name })))?.revision;

  it("publishes each Ingress of our controller with its Gateway's addresses, follows address changes and deletions", async () => {
    const theirClass: KubeObject = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } };
    const theirs: KubeObject = { ...ingress("theirs", "t.example.com", "/", "2024-01-01T00:00:00Z"), spec: { ingressClassName: "nginx", rules: [] } };
    for (const o of [ingressClass, theirClass, service, ingress("a", "a.example.com", "/", "2024-01-01T00:00:00Z"), ingress("b", "b.example.com", "/", "2024-01-02T00:00:00Z"), theirs]) await put(o);
    await status.put(encodeKey(gatewayStatus([]).ref), gatewayStatus([{ type: "IPAddress", value: "192.0.2.10" }, { type: "Hostname", value: "lb.example.com" }]));
    converter = new IngressConverterService({ nc, logger: pino({ level: "silent" }), convert: {} });
    await converter.start();
    const want = { ingress: [{ ip: "192.0.2.10" }, { hostname: "lb.example.com" }] };
    expect(await loadBalancerOf("a")).toEqual(want);
    expect(await loadBalancerOf("b")).toEqual(want);
    expect((await ingressStatus.get(encodeKey({ kind: "Ingress", namespace: "shop", name: "a" })))?.value.ref).toEqual({ group: "networking.k8s.io", kind: "Ingress", namespace: "shop", name: "a" });
    // Another controller's Ingress is never given a status.
    expect(await loadBalancerOf("theirs")).toBeUndefined();

    // The Gateway's address changes: every Ingress on it follows.
    await status.put(encodeKey(gatewayStatus([]).ref), gatewayStatus([{ type: "IPAddress", value: "192.0.2.20" }]));
    await eventually("the new address on both Ingresses", async () => {
      const [a, b] = [await loadBalancerOf("a"), await loadBalancerOf("b")];
      return JSON.stringify([a, b]) === JSON.stringify([{ ingress: [{ ip: "192.0.2.20" }] }, { ingress: [{ ip: "192.0.2.20" }] }]) ? true : undefined;
    });

    // An edit of one Ingress's path rewrites neither status (they did not change).
    const before = { a: await ingressStatusRevision("a"), b: await ingressStatusRevision("b") };
    await put(ingress("a", "a.example.com", "/moved", "2024-01-01T00:00:00Z"));
    await eventually("the edit converted", async () => (((await derivedPath("a")) === "/moved") ? true : undefined));
    await converter.idle();
    expect({ a: await ingressStatusRevision("a"), b: await ingressStatusRevision("b") }).toEqual(before);

    // The Ingress goes: its status record goes. The Gateway loses its address: an empty loadBalancer.
    await resources.delete(keyOf(ingress("a", "", "", "")));
    await eventually("the deleted Ingress's status gone", async () => ((await loadBalancerOf("a")) === undefined ? true : undefined));
    await status.delete(encodeKey(gatewayStatus([]).ref));
    await eventually("an empty loadBalancer", async () => (JSON.stringify(await loadBalancerOf("b")) === "{}" ? true : undefined));

    // Moving to another controller's class withdraws the record.
    await put({ ...ingress("b", "b.example.com", "/", "2024-01-02T00:00:00Z"), spec: { ...(ingress("b", "b.example.com", "/", "").spec as object), ingressClassName: "nginx" } });
    await eventually("the record withdrawn", async () => ((await loadBalancerOf("b")) === undefined ? true : undefined));
  });

  const derivedPath = async (name: string) => {
    const got = await (await BucketStore.open(nc, "derived")).get(encodeKey({ kind: "HTTPRoute", namespace: "shop", name }));
    return (got?.value.object.spec as { rules: { matches: { path: { value: string } }[] }[] } | undefined)?.rules[0].matches[0].path.value;
  };
});
