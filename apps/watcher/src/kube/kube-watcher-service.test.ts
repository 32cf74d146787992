// The Kubernetes provider against the test API server (the real client and protocol) and a
// real nats-server: objects to the buckets, deletes, a 410 relist, a CRD installed late, the
// start-up sweep, and status write-back by the leader only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BucketStore, encodeKey, type StatusRecord } from "@gatehouse/bus";
import { crdOf, waitFor } from "@gatehouse/testing";
import { gateway, GW, GWV1, key, KubeWatcherTestEnv, OURS, route, TIMING } from "./kube-test-env";

describe("KubeWatcherService", () => {
  let env: KubeWatcherTestEnv;
  // Bound after beforeAll: the test bodies read these as they always did.
  let api: KubeWatcherTestEnv["api"];
  let nc: KubeWatcherTestEnv["nc"];

  beforeAll(async () => {
    env = await KubeWatcherTestEnv.start();
    ({ api, nc } = env);
  });
  afterEach(() => env.stopAll());
  afterAll(() => env?.close());

  const start = (leaseName?: string) => env.start(leaseName);
  const has = (bucket: "resources" | "endpoints", k: string) => env.has(bucket, k);

  it("publishes Gateways, routes, our GatewayClasses and EndpointSlices, strips noise, deletes, and reports missing CRDs without failing", async () => {
    api.create({ apiVersion: GWV1, kind: "GatewayClass", metadata: { name: "gatehouse" }, spec: { controllerName: OURS } });
    api.create({ apiVersion: GWV1, kind: "GatewayClass", metadata: { name: "theirs" }, spec: { controllerName: "example.com/other" } });
    const { w } = await start();
    // The informer of a missing CRD keeps retrying (its phase is "listing" during each try), so wait for the report.
    await waitFor("missing CRD reported", () => /CRD missing\): .*ListenerSet/.test(w.readinessDetail));

    api.create({ ...gateway("gw"), metadata: { name: "gw", namespace: "default", managedFields: [{ manager: "kubectl" }], annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } } });
    api.create(route("r1"));
    api.create({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "svc-1", namespace: "default", labels: { "kubernetes.io/service-name": "svc" } }, addressType: "IPv4", endpoints: [{ addresses: ["10.0.0.1"] }], ports: [{ port: 80 }] });
    await waitFor("objects published", async () => (await has("resources", key("HTTPRoute", "r1"))) && (await has("resources", key("Gateway", "gw"))) && (await has("endpoints", key("EndpointSlice", "svc-1"))));
    const resources = await BucketStore.open(nc, "resources");
    const gw = (await resources.get(key("Gateway", "gw")))!.value.object;
    expect(gw.metadata).not.toHaveProperty("managedFields");
    expect(gw.metadata.annotations).toBeUndefined();
    expect(await has("resources", encodeKey({ kind: "GatewayClass", namespace: "", name: "gatehouse" }))).toBe(true);
    expect(await has("resources", encodeKey({ kind: "GatewayClass", namespace: "", name: "theirs" }))).toBe(false);

    api.delete(GWV1, "HTTPRoute", "default", "r1");
    api.delete("discovery.k8s.io/v1", "EndpointSlice", "default", "svc-1");
    await waitFor("deletes published", async () => !(await has("resources", key("HTTPRoute", "r1"))) && !(await has("endpoints", key("EndpointSlice", "svc-1"))));

    // A CRD installed after start is picked up.
    api.registerResource(crdOf("GRPCRoute"));
    api.create({ apiVersion: GWV1, kind: "GRPCRoute", metadata: { name: "g1", namespace: "default" }, spec: {} });
    await waitFor("late CRD published", () => has("resources", key("GRPCRoute", "g1")));
    expect(w.readinessDetail).not.toContain("GRPCRoute");
  });

  it("relists on 410 Gone and deletes what vanished meanwhile", async () => {
    api.create(route("stays"));
    api.create(route("vanishes"));
    await start();
    await waitFor("published", () => has("resources", key("HTTPRoute", "vanishes")));
    const lists = api.countRequests({ verb: "list", path: /httproutes/ });
    // Disconnected: watches fail, the route is deleted unseen, and the history is compacted.
    api.failNext(1_000_000, 500, { verb: "watch" });
    api.dropWatches();
    api.delete(GWV1, "HTTPRoute", "default", "vanishes");
    api.compact();
    api.clearFailures();
    await waitFor("vanished route withdrawn", async () => !(await has("resources", key("HTTPRoute", "vanishes"))));
    expect(api.countRequests({ verb: "list", path: /httproutes/ })).toBeGreaterThan(lists);
    expect(await has("resources", key("HTTPRoute", "stays"))).toBe(true);
  });

  it("on start withdraws keys the cluster no longer holds", async () => {
    api.create(route("old"));
    const first = await start();
    await waitFor("published", () => has("resources", key("HTTPRoute", "old")));
    await env.stopWatcher(first.w);
    api.delete(GWV1, "HTTPRoute", "default", "old");
    await start();
    expect(await has("resources", key("HTTPRoute", "old"))).toBe(false);
    expect(await has("resources", key("HTTPRoute", "stays"))).toBe(true);
  });

  it("publishes only the Secrets and ConfigMaps that Gateways and BackendTLSPolicies reference, and follows them", async () => {
    api.registerResource(crdOf("BackendTLSPolicy"));
    const secret = (name: string, crt: string) => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "default" }, type: "kubernetes.io/tls", data: { "tls.crt": crt, "tls.key": "a2V5" } });
    api.create(secret("cert", "b25l"));
    api.create(secret("unrelated", "b25l"));
    api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ca", namespace: "default" }, data: { "ca.crt": "pem" } });
    const tlsGateway = { ...gateway("tls-gw"), spec: { gatewayClassName: "gatehouse", listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "cert" }] } }] } };
    api.create(tlsGateway);
    const { w } = await start();
    expect(await has("resources", key("Secret", "cert"))).toBe(true);
    expect(await has("resources", key("Secret", "unrelated"))).toBe(false);

    api.create({ apiVersion: GWV1, kind: "BackendTLSPolicy", metadata: { name: "p", namespace: "default" }, spec: { targetRefs: [{ group: "", kind: "Service", name: "svc" }], validation: { hostname: "svc", caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "ca" }] } } });
    await waitFor("referenced ConfigMap published", () => has("resources", key("ConfigMap", "ca")));

    // A rotated certificate reaches the bus.
    const resources = await BucketStore.open(nc, "resources");
    api.update({ ...api.get("v1", "Secret", "default", "cert")!, data: { "tls.crt": "dHdv", "tls.key": "a2V5" } });
    await waitFor("rotated secret published", async () => ((await resources.get(key("Secret", "cert")))?.value.object as { data?: Record<string, string> }).data?.["tls.crt"] === "dHdv");

    // The last reference goes: the Secret is withdrawn.
    const live = api.get(GWV1, "Gateway", "default", "tls-gw")!;
    api.update({ ...live, spec: gateway("tls-gw").spec });
    await waitFor("unreferenced secret withdrawn", async () => !(await has("resources", key("Secret", "cert"))));
    await w.flushed();
    expect(await has("resources", key("ConfigMap", "ca"))).toBe(true);
  });

  it("writes a status record once, not again when unchanged; only the leader writes, and the next leader takes over", async () => {
    api.create(gateway("status-gw"));
    api.create(route("status-r"));
    const leaseName = env.newLeaseName();
    const a = await start(leaseName);
    const b = await start(leaseName);
    await waitFor("a leader", () => a.w.isLeader || b.w.isLeader);
    const [leader, other] = a.w.isLeader ? [a, b] : [b, a];
    api.resetRequestCounts();

    const status = await BucketStore.open(nc, "status");
    const gwStatus: StatusRecord = {
      ref: { group: GW, kind: "Gateway", namespace: "default", name: "status-gw" },
      observedGeneration: 1,
      status: { conditions: [{ type: "Accepted", status: "True", reason: "Accepted", message: "", observedGeneration: 1, lastTransitionTime: "2026-01-01T00:00:00Z" }] },
    };
    const routeStatus = (reason: string): StatusRecord => ({
      ref: { group: GW, kind: "HTTPRoute", namespace: "default", name: "status-r" },
      observedGeneration: 1,
      status: { parents: [{ parentRef: { name: "status-gw" }, controllerName: OURS, conditions: [{ type: "Accepted", status: "True", reason, message: "", observedGeneration: 1, lastTransitionTime: "2026-01-01T00:00:00Z" }] }] },
    });
    const puts = (kind: string) => api.countRequests({ method: "PUT", subresource: "status", path: new RegExp(`/${kind}/`) });
    await status.put(encodeKey(gwStatus.ref), gwStatus);
    await waitFor("gateway status written", () => puts("gateways") === 1);
    expect((api.get(GWV1, "Gateway", "default", "status-gw")!.status as { conditions: { reason: string }[] }).conditions[0].reason).toBe("Accepted");

    // The same record again, then a route status: once the route's is written, the
    // gateway's second record has arrived (the bucket is read in order); once the writes
    // have settled, it was handled, and not written again.
    await status.put(encodeKey(gwStatus.ref), gwStatus);
    await status.put(encodeKey(routeStatus("Accepted").ref), routeStatus("Accepted"));
    await waitFor("route status written", () => puts("httproutes") === 1);
    await leader.w.statusWritesSettled();
    expect(puts("gateways")).toBe(1);
    expect(leader.client.statusPuts).toBe(2);
    expect(other.client.statusPuts + other.client.statusGets).toBe(0);

    // The leader dies without releasing the Lease: the other takes over within the lease
    // time, re-syncs (reads, writes nothing unchanged) and writes what changes next.
    await env.stopWatcher(leader.w, "kill");
    const died = Date.now();
    await waitFor("new leader", () => other.w.isLeader, 5_000);
    expect(Date.now() - died).toBeLessThan(TIMING.leaseDurationMs + 2_000);
    await waitFor("re-sync read both statuses", () => other.client.statusGets >= 2);
    expect(other.client.statusPuts).toBe(0);
    await status.put(encodeKey(routeStatus("Changed").ref), routeStatus("Changed"));
    await waitFor("changed route status written", () => puts("httproutes") === 2);
    expect(other.client.statusPuts).toBe(1);
    expect(puts("gateways")).toBe(1);
  });
});
