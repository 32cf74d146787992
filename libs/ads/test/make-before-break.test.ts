// Ordering: clusters and endpoints before the listeners and routes that use them; a cluster
// removed only once nothing the proxy runs references it; a changed cluster followed by a
// fresh ClusterLoadAssignment.
import type { XdsTestClient, XdsClientProtocol } from "@gatehouse/testing";
import { describe, expect, it } from "vitest";
import { apiListener, cla, cluster, route, T, useTestServer } from "./fixtures";

const server = useTestServer("delta");

const ALL_TYPES = [T.cluster, T.endpoint, T.listener, T.route];

function subscribeAll(c: XdsTestClient, clusters: string[]): void {
  c.subscribe(T.cluster);
  c.subscribe(T.endpoint, clusters);
  c.subscribe(T.listener);
  c.subscribe(T.route, ["r"]);
}

describe.each<XdsClientProtocol>(["delta", "sotw"])("make-before-break (%s)", (protocol) => {
  const g = `mbb/${protocol}`;

  it("sends a new cluster and its endpoints before the listener and route that use it", async () => {
    server.cache.setGroupSnapshot(g, {
      [T.cluster]: [cluster("c1")],
      [T.endpoint]: [cla("c1", [["10.0.0.1", 80]])],
      [T.listener]: [apiListener("l", "r")],
      [T.route]: [route("r", "*", "c1")],
    });
    const c = server.connect(g, `mbb-order-${protocol}`, { protocol });
    subscribeAll(c, ["c1", "c2"]);
    await c.waitFor((x) => ALL_TYPES.every((t) => x.of(t).size === 1));
    const seen = c.responses.length;

    server.cache.setGroupSnapshot(g, {
      [T.route]: [route("r", "*", "c2")],
      [T.listener]: [apiListener("l", "r"), apiListener("l2", "r")],
      [T.endpoint]: [cla("c1", [["10.0.0.1", 80]]), cla("c2", [["10.0.0.2", 80]])],
      [T.cluster]: [cluster("c1"), cluster("c2")],
    });
    await c.waitFor((x) => x.of(T.route).get("r")!.bytes.includes("2".charCodeAt(0)) && x.of(T.listener).has("l2"));
    const order = c.responses.slice(seen).map((r) => r.typeUrl);
    expect(order.indexOf(T.cluster)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(T.cluster)).toBeLessThan(order.indexOf(T.endpoint));
    expect(order.indexOf(T.endpoint)).toBeLessThan(order.indexOf(T.listener));
    expect(order.indexOf(T.listener)).toBeLessThan(order.indexOf(T.route));
  });

  it("holds listeners and routes back until the new cluster they use is ACKed", async () => {
    const id = `mbb-hold-${protocol}`;
    const hg = `${g}/hold`;
    server.cache.setGroupSnapshot(hg, {
      [T.cluster]: [cluster("c1")],
      [T.endpoint]: [cla("c1", [["10.0.0.1", 80]])],
      [T.listener]: [apiListener("l", "r")],
      [T.route]: [route("r", "*", "c1")],
    });
    const c = server.connect(hg, id, { protocol, autoAck: false });
    subscribeAll(c, ["c1", "c2", "c3"]);
    const answered = new Set<string>();
    const ackAll = (except?: string) => {
      for (const r of c.responses) {
        if (r.answer || r.typeUrl === except || answered.has(r.typeUrl + r.nonce)) continue;
        answered.add(r.typeUrl + r.nonce);
        c.ack(r);
      }
    };
    await c.waitFor((x) => (ackAll(), x.of(T.route).has("r") && x.of(T.listener).size > 0));
    const seen = c.responses.length;
    const before = server.status(id)!.types;
    const sentBefore = [before[T.listener].sentVersion, before[T.route].sentVersion];
    server.cache.setGroupSnapshot(hg, {
      [T.cluster]: [cluster("c1"), cluster("c2"), cluster("c3")],
      [T.endpoint]: [cla("c1", [["10.0.0.1", 80]]), cla("c2", [["10.0.0.2", 80]]), cla("c3", [["10.0.0.3", 80]])],
      [T.listener]: [apiListener("l", "r"), apiListener("l3", "r")],
      [T.route]: [route("r", "*", "c3")],
    });
    // Everything but the clusters is answered: the route and listener stay back.
    await c.waitFor((x) => (ackAll(T.cluster), x.responses.slice(seen).some((r) => r.typeUrl === T.cluster && !r.answer)));
    await c.waitFor((x) => (ackAll(T.cluster), x.of(T.endpoint).has("c3")), 5_000, "the new CLA");
    // The server wrote everything it would in the pass that sent the CLA: no listener or route.
    const types = server.status(id)!.types;
    expect([types[T.listener].sentVersion, types[T.route].sentVersion]).toEqual(sentBefore);
    expect(c.responses.slice(seen).map((r) => r.typeUrl)).not.toContain(T.route);
    await c.waitFor((x) => (ackAll(), x.of(T.route).get("r")!.bytes.includes("3".charCodeAt(0)) && x.of(T.listener).has("l3")), 5_000, "route after ACK");
  });

  it("removes a cluster only after the route that used it moved away and was ACKed", async () => {
    const id = `mbb-remove-${protocol}`;
    const c = server.connect(g, id, { protocol, autoAck: false });
    subscribeAll(c, ["c1", "c2"]);
    // Manual mode: ACK everything except the route update, which the test holds.
    const acked = new Set<string>();
    const ackAllBut = (hold: (typeUrl: string) => boolean) => {
      for (const r of c.responses) {
        if (r.answer || hold(r.typeUrl) || acked.has(r.nonce + r.typeUrl)) continue;
        acked.add(r.nonce + r.typeUrl);
        c.ack(r);
      }
      return false;
    };
    await c.waitFor((x) => (ackAllBut(() => false), x.of(T.route).has("r") && x.of(T.cluster).size === 2));
    const routeResponses = c.responsesOf(T.route).length;

    // The route moves to c2 and c1 goes away in the same update.
    server.cache.setGroupSnapshot(g, {
      [T.cluster]: [cluster("c2")],
      [T.endpoint]: [cla("c2", [["10.0.0.2", 80]])],
      [T.listener]: [apiListener("l", "r"), apiListener("l2", "r")],
      [T.route]: [route("r", "*", "c2-only")],
    });
    await c.waitFor((x) => (ackAllBut((t) => t === T.route), x.responsesOf(T.route).length > routeResponses));
    const clusterGone = () => (protocol === "delta" ? c.responses.some((r) => r.removed.includes("c1")) : c.responsesOf(T.cluster).some((r) => r.resources.length === 1 && r.resources[0].name === "c2"));
    expect(clusterGone()).toBe(false);
    // ACK the route: now nothing references c1 and it may go.
    await c.waitFor(() => (ackAllBut(() => false), clusterGone()), 5_000, "cluster removal");
    const order = c.responses.map((r) => r.typeUrl);
    expect(order.lastIndexOf(T.route)).toBeLessThan(order.lastIndexOf(T.cluster));
  });

  it("follows a changed cluster with a fresh ClusterLoadAssignment", async () => {
    const id = `mbb-fresh-${protocol}`;
    server.cache.setGroupSnapshot(g, {
      [T.cluster]: [cluster("c2")],
      [T.endpoint]: [cla("c2", [["10.0.0.2", 80]])],
    });
    const c = server.connect(g, id, { protocol });
    subscribeAll(c, ["c2"]);
    await c.waitFor((x) => x.of(T.endpoint).has("c2") && x.of(T.cluster).has("c2"));
    const edsBefore = c.responsesOf(T.endpoint).length;
    server.cache.updateResources(g, T.cluster, [cluster("c2", { timeoutSec: 7 })]);
    await c.waitFor((x) => x.responsesOf(T.endpoint).length === edsBefore + 1, 5_000, "fresh CLA");
    const order = c.responses.map((r) => r.typeUrl);
    expect(order.lastIndexOf(T.cluster)).toBeLessThan(order.lastIndexOf(T.endpoint));
    expect(c.responsesOf(T.endpoint).at(-1)!.resources.map((r) => r.name)).toEqual(["c2"]);
  });
});
