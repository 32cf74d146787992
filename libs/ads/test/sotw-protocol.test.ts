// State of the World rules, checked with the protocol test client.
import { describe, expect, it } from "vitest";
import type { NackEvent } from "../src/index";
import { apiListener, cla, cluster, counterValue, names, T, until, useTestServer } from "./fixtures";

const server = useTestServer("sotw");
const { connect, status: streamStatus } = server;

describe("SotW", () => {
  it("gives each type its own version_info and nonce and tells ACK from NACK by error_detail", async () => {
    const g = "sotw/versions";
    server.cache.setGroupSnapshot(g, {
      [T.cluster]: [cluster("c1")],
      [T.listener]: [apiListener("l1", "r1")],
    });
    const c = connect(g, "n-versions");
    c.subscribe(T.cluster);
    c.subscribe(T.listener);
    await c.waitFor((x) => x.of(T.cluster).has("c1") && x.of(T.listener).has("l1"));
    const [cds] = c.responsesOf(T.cluster);
    const [lds] = c.responsesOf(T.listener);
    expect(cds.nonce).not.toBe(lds.nonce);
    expect(cds.version).not.toBe(lds.version);
    await until(() => streamStatus("n-versions")?.types[T.listener]?.ackedVersion === lds.version, 5_000, "LDS ACK");
    expect(streamStatus("n-versions")!.types[T.cluster].ackedVersion).toBe(cds.version);

    // A cluster change moves the CDS version only.
    server.cache.setGroupResources(g, T.cluster, [cluster("c1", { timeoutSec: 2 })]);
    const next = await c.nextResponse(T.cluster);
    expect(next.version).not.toBe(cds.version);
    expect(c.responsesOf(T.listener)).toHaveLength(1);
  });

  it("does not answer a stale nonce but honours its subscription change", async () => {
    const g = "sotw/stale";
    server.cache.setGroupResources(g, T.endpoint, [cla("a", [["10.0.0.1", 80]]), cla("b", [["10.0.0.2", 80]])]);
    const c = connect(g, "n-stale", { autoAck: false });
    c.subscribe(T.endpoint, ["a"]);
    await c.waitFor((x) => x.responsesOf(T.endpoint).length === 1);
    const first = c.responsesOf(T.endpoint)[0];
    const nacksBefore = await counterValue(server.registry, "gatehouse_xds_nacks_total");
    // A request carrying an older nonce (and even an error): not an ACK, not a NACK.
    c.sendRaw({ type_url: T.endpoint, resource_names: ["a", "b"], response_nonce: "stale-0", error_detail: { code: 3, message: "old" } });
    await until(() => streamStatus("n-stale")?.types[T.endpoint]?.subscribedNames === 2, 5_000, "subscription change");
    const st = streamStatus("n-stale")!.types[T.endpoint];
    expect(st.awaitingAck).toBe(true);
    expect(st.ackedVersion).toBe("");
    expect(st.lastNack).toBeUndefined();
    expect(await counterValue(server.registry, "gatehouse_xds_nacks_total")).toBe(nacksBefore);
    expect(c.responsesOf(T.endpoint)).toHaveLength(1);
    // The ACK of the current nonce releases the name the stale request added.
    c.sendRaw({ type_url: T.endpoint, version_info: first.version, resource_names: ["a", "b"], response_nonce: first.nonce });
    await c.waitFor((x) => x.responsesOf(T.endpoint).length === 2);
    expect(names(c.responsesOf(T.endpoint)[1])).toEqual(["b"]);
  });

  it("serves the legacy wildcard, '*' and '*' plus names", async () => {
    const g = "sotw/wildcard";
    server.cache.setGroupResources(g, T.cluster, [cluster("a"), cluster("b")]);
    const legacy = connect(g, "n-legacy");
    legacy.subscribe(T.cluster, []);
    const star = connect(g, "n-star");
    star.subscribe(T.cluster, ["*"]);
    const starNames = connect(g, "n-star-names");
    starNames.subscribe(T.cluster, ["*", "a"]);
    const named = connect(g, "n-named");
    named.subscribe(T.cluster, ["a"]);
    for (const c of [legacy, star, starNames]) await c.waitFor((x) => x.of(T.cluster).size === 2, 5_000, "both clusters");
    await named.waitFor((x) => x.of(T.cluster).size === 1);
    expect([...named.of(T.cluster).keys()]).toEqual(["a"]);

    server.cache.setGroupResources(g, T.cluster, [cluster("a"), cluster("b"), cluster("c")]);
    for (const c of [legacy, star, starNames]) await c.waitFor((x) => x.of(T.cluster).size === 3, 5_000, "new cluster");
  });

  it("sends the full Listener and Cluster state in every response", async () => {
    const g = "sotw/full";
    server.cache.setGroupResources(g, T.cluster, [cluster("a"), cluster("b")]);
    const c = connect(g, "n-full");
    c.subscribe(T.cluster);
    await c.waitFor((x) => x.of(T.cluster).size === 2);
    server.cache.updateResources(g, T.cluster, [cluster("b", { timeoutSec: 5 })]);
    const r = await c.nextResponse(T.cluster);
    expect(names(r)).toEqual(["a", "b"]);
    server.cache.setGroupResources(g, T.cluster, [cluster("b", { timeoutSec: 5 })]);
    const removal = await c.nextResponse(T.cluster);
    expect(names(removal)).toEqual(["b"]);
    expect([...c.of(T.cluster).keys()]).toEqual(["b"]);
  });

  it("sends only changed resources of other types, a name requested again, and a name once it appears", async () => {
    const g = "sotw/names";
    server.cache.setGroupResources(g, T.endpoint, [cla("a", [["10.0.0.1", 80]]), cla("b", [["10.0.0.2", 80]])]);
    const c = connect(g, "n-names");
    c.subscribe(T.endpoint, ["a", "b", "later"]);
    await c.waitFor((x) => x.of(T.endpoint).size === 2);
    server.cache.updateResources(g, T.endpoint, [cla("b", [["10.0.0.3", 80]])]);
    expect(names(await c.nextResponse(T.endpoint))).toEqual(["b"]);

    // Unsubscribed, then requested again: sent again although unchanged.
    c.unsubscribe(T.endpoint, ["a"]);
    await until(() => streamStatus("n-names")?.types[T.endpoint]?.subscribedNames === 2, 5_000, "unsubscribe");
    c.subscribe(T.endpoint, ["a"]);
    expect(names(await c.nextResponse(T.endpoint))).toEqual(["a"]);

    // A name that did not exist is sent when it appears.
    server.cache.updateResources(g, T.endpoint, [cla("later", [["10.0.0.9", 80]])]);
    expect(names(await c.nextResponse(T.endpoint))).toEqual(["later"]);
  });

  it("answers a reconnect that presents an old version with an empty nonce", async () => {
    const g = "sotw/reconnect";
    server.cache.setGroupSnapshot(g, { [T.cluster]: [cluster("a")], [T.listener]: [apiListener("l", "r")] });
    const c = connect(g, "n-reconnect");
    c.subscribe(T.cluster);
    c.subscribe(T.listener);
    await c.waitFor((x) => x.of(T.cluster).has("a") && x.of(T.listener).has("l"));
    c.close();
    server.cache.setGroupResources(g, T.cluster, [cluster("a"), cluster("b")]);

    const again = connect(g, "n-reconnect");
    // Envoy's first requests after a reconnect: the old version_info, no nonce.
    again.sendRaw({ type_url: T.cluster, version_info: c.responsesOf(T.cluster)[0].version, resource_names: [] });
    again.sendRaw({ type_url: T.listener, version_info: c.responsesOf(T.listener)[0].version, resource_names: [] });
    const cds = await again.nextResponse(T.cluster);
    expect(names(cds)).toEqual(["a", "b"]);
    const lds = await again.nextResponse(T.listener);
    expect(names(lds)).toEqual(["l"]);
  });

  it("keeps the last good version on NACK, logs, counts and emits it, and does not resend it", async () => {
    const g = "sotw/nack";
    const events: NackEvent[] = [];
    const stop = server.ads.addEventListener({ onNack: (e) => events.push(e) });
    server.cache.setGroupSnapshot(g, { [T.cluster]: [cluster("a")], [T.listener]: [apiListener("good", "r")] });
    const reject = (r: { name: string }) => (r.name === "bad" ? "listener bad: invalid filter chain" : undefined);
    const c = connect(g, "n-nack", { reject });
    c.subscribe(T.cluster);
    c.subscribe(T.listener);
    await c.waitFor((x) => x.of(T.listener).has("good") && x.of(T.cluster).has("a"));
    const good = c.responsesOf(T.listener)[0].version;
    await until(() => streamStatus("n-nack")?.types[T.listener]?.ackedVersion === good, 5_000, "ACK");
    const before = await counterValue(server.registry, "gatehouse_xds_nacks_total", { type_url: T.listener });

    server.cache.setGroupResources(g, T.listener, [apiListener("good", "r"), apiListener("bad", "r")]);
    await c.waitFor((x) => x.stats.nacks === 1);
    await until(() => events.length === 1, 5_000, "NACK event");
    expect(events[0]).toMatchObject({
      nodeId: "n-nack",
      group: g,
      typeUrl: T.listener,
      ackedVersion: good,
      errorMessage: "listener bad: invalid filter chain",
      resourceNames: ["good", "bad"],
    });
    expect(await counterValue(server.registry, "gatehouse_xds_nacks_total", { type_url: T.listener })).toBe(before + 1);
    const st = streamStatus("n-nack")!.types[T.listener];
    expect(st.ackedVersion).toBe(good);
    expect(st.lastNack?.message).toBe("listener bad: invalid filter chain");
    expect([...c.of(T.listener).keys()]).toEqual(["good"]);
    expect(server.logs.find((l) => l.nodeId === "n-nack" && l.level === 40)).toMatchObject({
      typeUrl: T.listener,
      error: "listener bad: invalid filter chain",
      ackedVersion: good,
    });

    // Something else changes and arrives: by then a resend loop would have shown.
    server.cache.setGroupResources(g, T.cluster, [cluster("a"), cluster("b")]);
    await c.waitFor((x) => x.of(T.cluster).has("b"));
    expect(c.responsesOf(T.listener)).toHaveLength(2);

    // The same proxy reconnecting is not sent the rejected state again either.
    c.reconnect();
    await c.waitFor((x) => x.stats.streamsOpened === 2 && x.responsesOf(T.cluster).length === 3, 5_000, "CDS after reconnect");
    expect(c.responsesOf(T.listener)).toHaveLength(2);

    // A fixed configuration goes out and is accepted.
    server.cache.setGroupResources(g, T.listener, [apiListener("good", "r"), apiListener("fixed", "r")]);
    await c.waitFor((x) => x.of(T.listener).has("fixed"));
    expect(c.stats.nacks).toBe(1);
    stop();
  });

  it("refuses a stream whose node names no group", async () => {
    const c = connect("", "n-nogroup");
    c.subscribe(T.cluster);
    await c.waitFor((x) => !x.connected, 5_000, "stream end");
    expect(c.lastStreamError?.code).toBe(3);
  });
});
