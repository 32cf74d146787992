// The Kubernetes provider when things go wrong, through the real watcher, the real client,
// the test API server and a real nats-server: a restart loses no change, watches dropped
// every second still converge, a status write that conflicts is retried until it lands, a
// burst of 1,000 routes is published and each gets its status written exactly once, and two
// replicas never both write status across the leader's death.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@gatehouse/testing";
import { endpointSlice, gateway, GWV1, key, KubeWatcherTestEnv, route, routeStatus, TIMING } from "./kube-test-env";

/** The kinds compared between the bus and the cluster, with their apiVersion. */
const COMPARED = { Gateway: GWV1, HTTPRoute: GWV1, EndpointSlice: "discovery.k8s.io/v1" };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("KubeWatcherService under failures and load", () => {
  let env: KubeWatcherTestEnv;
  let api: KubeWatcherTestEnv["api"];

  beforeAll(async () => {
    env = await KubeWatcherTestEnv.start();
    api = env.api;
  });
  afterEach(async () => {
    await env.stopAll();
    // Every test starts from an empty cluster (the deletes reach no watcher; the next start sweeps the bus).
    for (const [kind, apiVersion] of Object.entries(COMPARED)) for (const o of api.list(apiVersion, kind)) api.delete(apiVersion, kind, o.metadata.namespace, o.metadata.name!);
    api.clearFailures();
  });
  afterAll(() => env?.close());

  const editRoute = (name: string, path: string) => {
    const live = api.get(GWV1, "HTTPRoute", "default", name)!;
    api.update({ ...live, spec: route(name, path).spec });
  };
  const routeReason = (name: string) =>
    (api.get(GWV1, "HTTPRoute", "default", name)?.status as { parents?: { conditions: { reason: string }[] }[] } | undefined)?.parents?.[0]?.conditions[0]?.reason;

  it("loses no change made while it was down: creates, edits and deletes are all on the bus after a restart", async () => {
    api.create(gateway("gw"));
    for (let i = 0; i < 20; i++) api.create(route(`keep-${i}`));
    for (let i = 0; i < 10; i++) api.create(route(`gone-${i}`));
    api.create(route("reborn"));
    api.create(endpointSlice("svc-a", ["10.0.0.1"]));
    api.create(endpointSlice("svc-b", ["10.0.0.2"]));
    const first = await env.start();
    await env.waitBusEqualsCluster(COMPARED, "the first sync");
    // A crash: the Lease is not released and nothing is flushed on the way out.
    await env.stopWatcher(first.w, "kill");

    for (let i = 0; i < 10; i++) api.delete(GWV1, "HTTPRoute", "default", `gone-${i}`);
    for (let i = 0; i < 20; i += 2) editRoute(`keep-${i}`, `/edited-${i}`);
    for (let i = 0; i < 10; i++) api.create(route(`new-${i}`));
    // Deleted and created again under the same name: a new object (uid, resourceVersion).
    const oldUid = api.get(GWV1, "HTTPRoute", "default", "reborn")!.metadata.uid;
    api.delete(GWV1, "HTTPRoute", "default", "reborn");
    api.create(route("reborn", "/again"));
    api.delete("discovery.k8s.io/v1", "EndpointSlice", "default", "svc-a");
    api.update({ ...api.get("discovery.k8s.io/v1", "EndpointSlice", "default", "svc-b")!, endpoints: [{ addresses: ["10.0.0.3"], conditions: { ready: true } }] });
    api.create(endpointSlice("svc-c", ["10.0.0.4"]));
    api.delete(GWV1, "Gateway", "default", "gw");

    await env.start();
    await env.waitBusEqualsCluster(COMPARED, "the bus to equal the cluster after the restart");
    const keys = await env.keys("resources");
    expect(keys.filter((k) => k.includes("gone-"))).toEqual([]);
    expect(keys).not.toContain(key("Gateway", "gw"));
    expect(keys.filter((k) => k.includes("new-"))).toHaveLength(10);
    expect(api.get(GWV1, "HTTPRoute", "default", "reborn")!.metadata.uid).not.toBe(oldUid);
    expect(await env.keys("endpoints")).toEqual([key("EndpointSlice", "svc-b"), key("EndpointSlice", "svc-c")].sort());
  });

  it("converges while the API server drops every watch every second under sustained changes", async () => {
    api.create(endpointSlice("churn", ["10.1.0.0"]));
    await env.start();
    const watchesBefore = api.countRequests({ verb: "watch", path: /httproutes/ });
    let drops = 0;
    // Alternately ended cleanly and reset, as a restarting API server or a load balancer would.
    const dropper = setInterval(() => api.dropWatches(++drops % 2 === 0), 1000);
    try {
      // Changes go on until the watches were dropped five times.
      for (let i = 0; drops < 5; i++) {
        api.create(route(`d-${i}`, `/v0`));
        if (i >= 1) editRoute(`d-${i - 1}`, `/v1`);
        if (i >= 2 && i % 3 === 0) api.delete(GWV1, "HTTPRoute", "default", `d-${i - 2}`);
        api.update({ ...api.get("discovery.k8s.io/v1", "EndpointSlice", "default", "churn")!, endpoints: [{ addresses: [`10.1.${i >> 8}.${i & 255}`], conditions: { ready: true } }] });
        if (i % 7 === 0) {
          if (api.get("discovery.k8s.io/v1", "EndpointSlice", "default", "flap")) api.delete("discovery.k8s.io/v1", "EndpointSlice", "default", "flap");
          else api.create(endpointSlice("flap", [`10.2.0.${i & 255}`]));
        }
        await pause(10);
      }
      // Still dropping: the watcher must converge between drops, not after they stop.
      await env.waitBusEqualsCluster(COMPARED, "the bus to equal the cluster while watches keep dropping");
    } finally {
      clearInterval(dropper);
    }
    expect(api.countRequests({ verb: "watch", path: /httproutes/ }) - watchesBefore).toBeGreaterThanOrEqual(5);
    expect(api.list(GWV1, "HTTPRoute").length).toBeGreaterThan(50);
  });

  it("retries a status write that gets 409 Conflict, beyond the writer's own retries, until the status lands", async () => {
    api.create(route("conflicted"));
    const { w, client } = await env.start();
    await waitFor("leader", () => w.isLeader);
    api.resetRequestCounts();
    // More conflicts than the StatusWriter retries (5): the write-back must retry the write itself.
    api.conflictOnNextStatusWrite(8);
    await env.putStatuses([routeStatus("conflicted", "Accepted")]);
    await waitFor("status after the conflicts", () => routeReason("conflicted") === "Accepted", 30_000);
    await w.statusWritesSettled();
    expect(api.countRequests({ method: "PUT", subresource: "status" })).toBe(9);
    expect(client.puts).toHaveLength(1);
    // Every attempt read the object afresh (a PUT with a stale resourceVersion would conflict for ever on a real server).
    expect(api.countRequests({ verb: "get", path: /\/httproutes\/conflicted$/ })).toBeGreaterThanOrEqual(9);
  });

  it("publishes 1,000 HTTPRoutes created in a burst and writes each one's status exactly once", async () => {
    const { w } = await env.start();
    await waitFor("leader", () => w.isLeader);
    const names = Array.from({ length: 1000 }, (_, i) => `burst-${i}`);
    for (const name of names) api.create(route(name, `/${name}`));
    const wanted = new Set(names.map((n) => key("HTTPRoute", n)));
    await waitFor("all 1,000 routes on the bus", async () => (await env.keys("resources")).filter((k) => wanted.has(k)).length === names.length, 60_000, 200);
    await env.waitBusEqualsCluster(COMPARED, "every route at its resourceVersion");

    api.resetRequestCounts();
    await env.putStatuses(names.map((n) => routeStatus(n, "Accepted")));
    await waitFor("1,000 status writes", () => api.countRequests({ method: "PUT", subresource: "status" }) >= names.length, 120_000, 100);
    await w.statusWritesSettled();
    const perObject = new Map<string, number>();
    for (const r of api.requests({ method: "PUT", subresource: "status" })) perObject.set(r.path, (perObject.get(r.path) ?? 0) + 1);
    expect(perObject.size).toBe(names.length);
    expect([...perObject.values()].filter((n) => n !== 1)).toEqual([]);
    expect(names.filter((n) => routeReason(n) !== "Accepted")).toEqual([]);
  });

  it("writes many objects at once but each object's statuses one at a time and in order, the latest winning", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `order-${i}`);
    for (const name of names) api.create(route(name));
    const { w, client } = await env.start();
    await waitFor("leader", () => w.isLeader);
    // A server that takes its time, so writes pile up: each object gets generations 0..7 in quick succession.
    api.setLatency(20);
    try {
      for (let g = 0; g < 8; g++) await env.putStatuses(names.map((n) => routeStatus(n, `Gen${g}`)));
      await waitFor("every route at the last status", () => names.every((n) => routeReason(n) === "Gen7"), 60_000);
      await w.statusWritesSettled();
    } finally {
      api.setLatency(0);
    }
    expect(client.overlaps).toBe(0);
    expect(client.maxInFlight).toBeGreaterThan(1);
    for (const name of names) {
      const gens = client.puts.filter((p) => p.name === name).map((p) => Number(/Gen(\d)/.exec(JSON.stringify(p.status))![1]));
      expect(gens).toEqual([...gens].sort((a, b) => a - b));
      expect(gens.at(-1)).toBe(7);
    }
  });

  it("never lets two replicas write status: the leader dies mid-stream, the other takes over within the lease time, nothing is written twice", async () => {
    const names = Array.from({ length: 60 }, (_, i) => `lead-${i}`);
    for (const name of names) api.create(route(name));
    // Twice the usual test lease, so a loaded machine's event-loop lag does not make the
    // leader step down on its own before the kill (which would be correct, but not this test).
    const timing = { leaseDurationMs: 2 * TIMING.leaseDurationMs, renewDeadlineMs: 2 * TIMING.renewDeadlineMs, retryPeriodMs: 2 * TIMING.retryPeriodMs };
    const leaderElection = { namespace: "default", name: env.newLeaseName(), ...timing };
    const a = await env.start(undefined, { leaderElection });
    const b = await env.start(undefined, { leaderElection });
    await waitFor("a leader", () => a.w.isLeader || b.w.isLeader);
    const [leader, other] = a.w.isLeader ? [a, b] : [b, a];
    api.resetRequestCounts();

    // Statuses keep coming while the leader dies: generation g of every route, g = 0..5; the
    // leader is killed once it has written some and while it has more to write.
    let killedAt = 0;
    for (let g = 0; g < 6; g++) {
      await env.putStatuses(names.map((n) => routeStatus(n, `Gen${g}`)));
      if (g === 2) {
        await waitFor("the leader writing", () => leader.client.puts.length > 0);
        await env.stopWatcher(leader.w, "kill");
        killedAt = Date.now();
      }
      await pause(100);
    }
    await waitFor("the other replica leads", () => other.w.isLeader, 10_000);
    expect(Date.now() - killedAt).toBeLessThan(timing.leaseDurationMs + 3_000);
    await waitFor("every route at the last status", () => names.every((n) => routeReason(n) === "Gen5"), 30_000);
    await other.w.statusWritesSettled();

    // The dead leader wrote nothing after its death, the new one nothing before it led.
    const leaderPuts = leader.client.puts;
    const otherPuts = other.client.puts;
    expect(leaderPuts.length).toBeGreaterThan(0);
    expect(leaderPuts.filter((p) => p.at > killedAt)).toEqual([]);
    expect(Math.min(...otherPuts.map((p) => p.at))).toBeGreaterThanOrEqual(killedAt);
    // No status value was written twice (by either replica) to any object.
    const written = [...leaderPuts, ...otherPuts].map((p) => `${p.name} ${JSON.stringify(p.status)}`);
    expect(written.length - new Set(written).size).toBe(0);
    expect(api.countRequests({ method: "PUT", subresource: "status" })).toBe(written.length);
  });
});
