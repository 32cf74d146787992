// Delta rules, reconnects (also to a restarted server with a rebuilt cache) and NACKs.
import { ResourceCache } from "../src/index";
import { describe, expect, it } from "vitest";
import type { ConnectEvent, DisconnectEvent } from "../src/index";
import { apiListener, cla, cluster, counterValue, names, route, startTestServer, T, until, useTestServer } from "./fixtures";

const server = useTestServer("delta");
const { connect, status } = server;

describe("Delta", () => {
  it("subscribes and unsubscribes names, sending only what changed", async () => {
    const g = "delta/sub";
    server.cache.setGroupResources(g, T.endpoint, [cla("a", [["10.0.0.1", 80]]), cla("b", [["10.0.0.2", 80]]), cla("c", [["10.0.0.3", 80]])]);
    const c = connect(g, "d-sub");
    c.subscribe(T.endpoint, ["a", "b"]);
    await c.waitFor((x) => x.of(T.endpoint).size === 2);
    expect(names(c.responsesOf(T.endpoint)[0])).toEqual(["a", "b"]);

    server.cache.updateResources(g, T.endpoint, [cla("b", [["10.0.0.9", 80]]), cla("c", [["10.0.0.8", 80]])]);
    const r = await c.nextResponse(T.endpoint);
    expect(names(r)).toEqual(["b"]);
    expect(r.removed).toEqual([]);

    c.unsubscribe(T.endpoint, ["a"]);
    await until(() => status("d-sub")?.types[T.endpoint]?.subscribedNames === 1, 5_000, "unsubscribe");
    server.cache.updateResources(g, T.endpoint, [cla("a", [["10.0.0.7", 80]])]);
    server.cache.updateResources(g, T.endpoint, [cla("b", [["10.0.0.6", 80]])]);
    const after = await c.nextResponse(T.endpoint);
    expect(names(after)).toEqual(["b"]);

    // Subscribing again to a held name sends it again.
    c.subscribe(T.endpoint, ["b"]);
    expect(names(await c.nextResponse(T.endpoint))).toEqual(["b"]);

    // Removal of a subscribed resource goes out in removed_resources.
    server.cache.updateResources(g, T.endpoint, [], ["b"]);
    const removal = await c.nextResponse(T.endpoint);
    expect([removal.resources.length, removal.removed]).toEqual([0, ["b"]]);
  });

  it("does not take a stale nonce as an ACK but honours its subscription change", async () => {
    const g = "delta/stale";
    server.cache.setGroupResources(g, T.endpoint, [cla("a", [["10.0.0.1", 80]]), cla("b", [["10.0.0.2", 80]])]);
    const c = connect(g, "d-stale", { autoAck: false });
    c.subscribe(T.endpoint, ["a"]);
    await c.waitFor((x) => x.responsesOf(T.endpoint).length === 1);
    const first = c.responsesOf(T.endpoint)[0];
    c.sendRaw({ type_url: T.endpoint, response_nonce: "stale-0", resource_names_subscribe: ["b"], error_detail: { code: 3, message: "old" } });
    await until(() => status("d-stale")?.types[T.endpoint]?.subscribedNames === 2, 5_000, "subscription change");
    const st = status("d-stale")!.types[T.endpoint];
    expect([st.awaitingAck, st.ackedVersion, st.lastNack]).toEqual([true, "", undefined]);
    expect(c.responsesOf(T.endpoint)).toHaveLength(1);
    c.ack(first);
    await c.waitFor((x) => x.responsesOf(T.endpoint).length === 2);
    expect(names(c.responsesOf(T.endpoint)[1])).toEqual(["b"]);
  });

  it("serves the legacy wildcard, '*' and '*' plus names", async () => {
    const g = "delta/wildcard";
    server.cache.setGroupResources(g, T.cluster, [cluster("a"), cluster("b")]);
    const legacy = connect(g, "d-legacy");
    legacy.subscribe(T.cluster, []);
    const star = connect(g, "d-star");
    star.subscribe(T.cluster, ["*", "a"]);
    const named = connect(g, "d-named");
    named.subscribe(T.cluster, ["a"]);
    for (const c of [legacy, star]) await c.waitFor((x) => x.of(T.cluster).size === 2);
    await named.waitFor((x) => x.of(T.cluster).size === 1);
    server.cache.updateResources(g, T.cluster, [cluster("c")]);
    for (const c of [legacy, star]) await c.waitFor((x) => x.of(T.cluster).has("c"));
    // Leaving the wildcard keeps the pinned name only.
    star.unsubscribe(T.cluster, ["*"]);
    await until(() => status("d-star")?.types[T.cluster]?.wildcard === false, 5_000, "wildcard off");
    server.cache.updateResources(g, T.cluster, [cluster("d"), cluster("a", { timeoutSec: 3 })]);
    expect(names(await star.nextResponse(T.cluster))).toEqual(["a"]);
    expect(named.responsesOf(T.cluster).length).toBeGreaterThan(0);
  });

  it("honours initial_resource_versions on reconnect: unchanged not resent, vanished removed", async () => {
    const g = "delta/initial";
    server.cache.setGroupResources(g, T.cluster, [cluster("keep"), cluster("change"), cluster("vanish")]);
    const c = connect(g, "d-initial");
    c.subscribe(T.cluster);
    await c.waitFor((x) => x.of(T.cluster).size === 3);
    c.close();
    server.cache.setGroupResources(g, T.cluster, [cluster("keep"), cluster("change", { timeoutSec: 9 }), cluster("new")]);

    // A new stream presents what the proxy holds, as Envoy does after a reconnect.
    const envoy = connect(g, "d-initial");
    for (const [name, r] of c.of(T.cluster)) envoy.of(T.cluster).set(name, r);
    envoy.sendRaw({
      type_url: T.cluster,
      resource_names_subscribe: [],
      initial_resource_versions: Object.fromEntries([...c.of(T.cluster)].map(([n, r]) => [n, r.version])),
    });
    const r = await envoy.nextResponse(T.cluster);
    expect(names(r)).toEqual(["change", "new"]);
    expect(r.removed).toEqual(["vanish"]);
  });

  it("resumes after a server restart with a rebuilt cache, sending only the difference", async () => {
    const g = "delta/restart";
    const build = (v: number) => [cluster("a"), cluster("b", { timeoutSec: v })];
    const first = await startTestServer();
    first.cache.setGroupSnapshot(g, { [T.cluster]: build(1), [T.listener]: [apiListener("l", "r")] });
    const delta = connect(g, "d-restart", { autoReconnect: false, address: first.address });
    delta.subscribe(T.cluster);
    delta.subscribe(T.listener);
    const sotw = connect(g, "s-restart", { protocol: "sotw", address: first.address });
    sotw.subscribe(T.cluster);
    sotw.subscribe(T.listener);
    for (const c of [delta, sotw]) await c.waitFor((x) => x.of(T.cluster).size === 2 && x.of(T.listener).size === 1);
    await first.stop();

    // A new replica rebuilds its cache from the same source, and one cluster changed meanwhile.
    const cache = new ResourceCache();
    cache.setGroupSnapshot(g, { [T.cluster]: build(2), [T.listener]: [apiListener("l", "r")] });
    const second = await startTestServer(cache);
    try {
      delta.reconnect(second.address);
      const r = await delta.nextResponse(T.cluster);
      expect(names(r)).toEqual(["b"]);
      sotw.reconnect(second.address);
      const s = await sotw.nextResponse(T.cluster);
      expect(names(s)).toEqual(["a", "b"]);
      await sotw.waitFor((x) => x.responsesOf(T.listener).length === 2);
      // Nothing else went to the Delta client: its listener was unchanged.
      await until(() => second.ads.status().find((x) => x.nodeId === "d-restart")?.types[T.cluster]?.ackedVersion !== "", 5_000, "ACK");
      expect(delta.responsesOf(T.listener)).toHaveLength(1);
    } finally {
      delta.close();
      sotw.close();
      await second.stop();
    }
  });

  it("keeps the last good resource on NACK and does not resend it, also after a reconnect", async () => {
    const g = "delta/nack";
    server.cache.setGroupResources(g, T.route, [route("r", "*", "c1")]);
    const reject = (r: { name: string; bytes: Uint8Array }) =>
      Buffer.from(r.bytes).includes(Buffer.from("broken")) ? "route r: unknown cluster broken" : undefined;
    const c = connect(g, "d-nack", { reject });
    c.subscribe(T.route, ["r", "other"]);
    await c.waitFor((x) => x.of(T.route).has("r"));
    const good = c.of(T.route).get("r")!.version;
    const before = await counterValue(server.registry, "gatehouse_xds_nacks_total", { type_url: T.route });

    server.cache.setGroupResources(g, T.route, [route("r", "*", "broken")]);
    await c.waitFor((x) => x.stats.nacks === 1);
    await until(() => status("d-nack")?.types[T.route]?.lastNack !== undefined, 5_000, "NACK seen");
    expect(c.of(T.route).get("r")!.version).toBe(good);
    expect(await counterValue(server.registry, "gatehouse_xds_nacks_total", { type_url: T.route })).toBe(before + 1);

    // An unrelated change arrives; the rejected one was not sent again.
    server.cache.updateResources(g, T.route, [route("other", "x", "c1")]);
    await c.waitFor((x) => x.of(T.route).has("other"));
    expect(c.responsesOf(T.route).filter((r) => r.resources.some((x) => x.name === "r"))).toHaveLength(2);

    c.reconnect();
    server.cache.updateResources(g, T.route, [route("other", "y", "c1")]);
    await c.waitFor((x) => x.stats.streamsOpened === 2 && x.of(T.route).get("other")!.bytes.includes("y".charCodeAt(0)));
    expect(c.responsesOf(T.route).filter((r) => r.resources.some((x) => x.name === "r"))).toHaveLength(2);
    expect(c.stats.nacks).toBe(1);

    server.cache.setGroupResources(g, T.route, [route("r", "*", "c2"), route("other", "y", "c1")]);
    await c.waitFor((x) => x.of(T.route).get("r")!.version !== good);
    expect(c.stats.nacks).toBe(1);
  });
});

describe("first answers", () => {
  it("answers a wildcard subscriber once its Gateway appears, even with nothing of that type", async () => {
    const g = "first/late-gateway";
    const delta = connect(g, "f-delta");
    delta.subscribe(T.cluster);
    const sotw = connect(g, "f-sotw", { protocol: "sotw" });
    sotw.subscribe(T.cluster);
    await until(() => server.ads.status().filter((s) => s.group === g).length === 2, 5_000, "streams");
    expect(delta.responses.length + sotw.responses.length).toBe(0);
    // The Gateway appears with listeners only: both are told there are no clusters.
    server.cache.setGroupSnapshot(g, { [T.listener]: [apiListener("l", "r")] });
    const [d, s] = await Promise.all([delta.nextResponse(T.cluster), sotw.nextResponse(T.cluster)]);
    expect([d.resources.length, d.removed.length, s.resources.length]).toEqual([0, 0, 0]);
  });
});

describe("events and status", () => {
  it("reports connections, ACKed versions per type and disconnections", async () => {
    const g = "events/gw";
    const connects: ConnectEvent[] = [];
    const disconnects: DisconnectEvent[] = [];
    const stop = server.ads.addEventListener({ onConnect: (e) => connects.push(e), onDisconnect: (e) => disconnects.push(e) });
    server.cache.setGroupSnapshot(g, { [T.cluster]: [cluster("a")], [T.listener]: [apiListener("l", "r")] });
    const c = connect(g, "e-node");
    c.subscribe(T.cluster);
    c.subscribe(T.listener);
    await c.waitFor((x) => x.of(T.cluster).size === 1 && x.of(T.listener).size === 1);
    const versions = { [T.cluster]: server.cache.typeVersion(g, T.cluster), [T.listener]: server.cache.typeVersion(g, T.listener) };
    await until(() => status("e-node")?.types[T.listener]?.ackedVersion === versions[T.listener], 5_000, "ACKs");
    expect(connects.filter((e) => e.nodeId === "e-node")).toMatchObject([{ group: g, protocol: "delta" }]);
    expect(status("e-node")).toMatchObject({
      group: g,
      protocol: "delta",
      types: {
        [T.cluster]: { ackedVersion: versions[T.cluster], wildcard: true, heldResources: 1, awaitingAck: false },
        [T.listener]: { ackedVersion: versions[T.listener], wildcard: true, heldResources: 1, awaitingAck: false },
      },
    });
    c.close();
    await until(() => disconnects.some((e) => e.nodeId === "e-node"), 5_000, "disconnect");
    expect(disconnects.find((e) => e.nodeId === "e-node")!.ackedVersions).toEqual(versions);
    expect(status("e-node")).toBeUndefined();
    stop();
  });
});
