import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KubeApiTestServer, waitFor } from "@gatehouse/testing";
import type { ApiResourceRef } from "./api-resource";
import { Informer, type InformerEvent, type InformerOptions } from "./informer";
import { ListGate } from "./list-gate";
import { KubeClient } from "./kube-client";

const CONFIGMAPS: ApiResourceRef = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
const WIDGETS: ApiResourceRef = { group: "late.example.com", version: "v1", kind: "Widget", plural: "widgets", namespaced: true };

let server: KubeApiTestServer;
let client: KubeClient;
const informers: Informer[] = [];
let ns = 0;

beforeAll(async () => {
  server = await KubeApiTestServer.start({ bookmarkIntervalMs: 50 });
  client = new KubeClient(server.kubeConfig());
});
afterEach(async () => {
  await Promise.all(informers.splice(0).map((i) => i.stop()));
});
afterAll(() => server.stop());

function startInformer(opts: Partial<InformerOptions> & { resource: ApiResourceRef; namespace: string }): { informer: Informer; events: string[] } {
  const events: string[] = [];
  const informer = new Informer({
    client,
    onEvent: (e: InformerEvent) => events.push(`${e.type} ${e.object.metadata.name}`),
    backoff: { initialMs: 20, maxMs: 100 },
    minWatchMs: 0,
    ...opts,
  });
  informers.push(informer);
  informer.start();
  return { informer, events };
}

const cm = (namespace: string, name: string, data: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data });

const names = (i: Informer) => i.list().map((o) => o.metadata.name).sort();

describe("Informer", () => {
  it("lists, then watches from the list's resourceVersion with bookmarks, and delivers changes in order", async () => {
    const namespace = `ns${++ns}`;
    server.create(cm(namespace, "a"));
    const { informer, events } = startInformer({ resource: CONFIGMAPS, namespace });
    await informer.waitForSync(5000);
    expect(events).toEqual(["added a"]);
    const listRv = informer.state.resourceVersion;
    await waitFor("the watch", () => server.countRequests({ verb: "watch", path: `/api/v1/namespaces/${namespace}/configmaps` }) === 1, 10_000, 10);
    const [watch] = server.requests({ verb: "watch", path: `/api/v1/namespaces/${namespace}/configmaps` });
    expect(watch.query).toMatchObject({ resourceVersion: listRv, allowWatchBookmarks: "true" });
    expect(Number(watch.query.timeoutSeconds)).toBeGreaterThanOrEqual(300);

    const b = server.create(cm(namespace, "b"));
    server.update({ ...b, data: { k: "v" } });
    server.delete("v1", "ConfigMap", namespace, "a");
    await waitFor("the changes", () => events.length === 4, 10_000, 10);
    expect(events).toEqual(["added a", "added b", "modified b", "deleted a"]);
    expect(informer.get(namespace, "b")?.data).toEqual({ k: "v" });
  });

  it("resumes from a bookmark's resourceVersion after a dropped watch, with no relist even when history was compacted", async () => {
    const namespace = `ns${++ns}`;
    const { informer } = startInformer({ resource: CONFIGMAPS, namespace });
    await informer.waitForSync(5000);
    server.create(cm("elsewhere", `x${ns}`)); // moves the global resourceVersion on
    const target = String(server.resourceVersion);
    await waitFor("a bookmark at the current resourceVersion", () => informer.state.resourceVersion === target, 10_000, 10);
    server.compact();
    const lists = server.countRequests({ verb: "list" });
    server.dropWatches();
    server.create(cm(namespace, "after"));
    await waitFor("the object created after the drop", () => names(informer).includes("after"), 10_000, 10);
    expect(server.countRequests({ verb: "list" })).toBe(lists);
  });

  it("relists on 410 Gone and emits deletes for objects that vanished meanwhile", async () => {
    const namespace = `ns${++ns}`;
    server.create(cm(namespace, "stays"));
    server.create(cm(namespace, "vanishes"));
    const { informer, events } = startInformer({ resource: CONFIGMAPS, namespace, watchTimeoutSeconds: () => 600 });
    await informer.waitForSync(5000);
    await waitFor("the watch", () => server.activeWatches > 0, 10_000, 10);
    // Within one tick: the watch breaks, the object goes, history is compacted; the informer
    // can only learn of the deletion by relisting.
    server.dropWatches(true);
    server.delete("v1", "ConfigMap", namespace, "vanishes");
    server.create(cm(namespace, "appears"));
    server.compact();
    await waitFor("the relist", () => events.includes("deleted vanishes") && events.includes("added appears"), 10_000, 10);
    expect(names(informer)).toEqual(["appears", "stays"]);
    expect(server.countRequests({ verb: "list", path: `/api/v1/namespaces/${namespace}/configmaps` })).toBe(2);
    expect(events.filter((e) => e.endsWith("stays"))).toEqual(["added stays"]);
  });

  it("with an identity cache, keeps only identities yet emits whole objects, skips unchanged ones on a relist and names the vanished", async () => {
    const namespace = `ns${++ns}`;
    server.create({ ...cm(namespace, "stays", { big: "x".repeat(1000) }), metadata: { name: "stays", namespace, labels: { a: "b" }, managedFields: [{ manager: "kubectl" }] } });
    server.create(cm(namespace, "vanishes", { k: "v" }));
    const got: InformerEvent[] = [];
    const { informer } = startInformer({ resource: CONFIGMAPS, namespace, cache: "identity", watchTimeoutSeconds: () => 600, onEvent: (e) => got.push(e) });
    await informer.waitForSync(5000);
    expect(got.map((e) => [e.type, e.object.metadata.name, e.object.data])).toEqual([
      ["added", "stays", { big: "x".repeat(1000) }],
      ["added", "vanishes", { k: "v" }],
    ]);
    const stays = server.get("v1", "ConfigMap", namespace, "stays")!;
    expect(informer.get(namespace, "stays")).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "stays", namespace, uid: stays.metadata.uid, resourceVersion: stays.metadata.resourceVersion },
    });
    await waitFor("the watch", () => server.activeWatches > 0, 10_000, 10);
    server.dropWatches(true);
    server.delete("v1", "ConfigMap", namespace, "vanishes");
    server.compact();
    await waitFor("the relist", () => got.length === 3, 10_000, 10);
    expect(got[2]).toEqual({ type: "deleted", object: { apiVersion: "v1", kind: "ConfigMap", metadata: expect.objectContaining({ name: "vanishes", namespace }) } });
    expect(server.countRequests({ verb: "list", path: `/api/v1/namespaces/${namespace}/configmaps` })).toBe(2);
    expect(names(informer)).toEqual(["stays"]);
  });

  it("lists only at its turn of a shared list gate, and stops promptly while waiting for it", async () => {
    const namespace = `ns${++ns}`;
    server.create(cm(namespace, "a"));
    const path = `/api/v1/namespaces/${namespace}/configmaps`;
    const gate = new ListGate();
    let release!: () => void;
    void gate.run(() => new Promise<void>((r) => (release = r)));
    const { informer: waiting } = startInformer({ resource: CONFIGMAPS, namespace, listGate: gate });
    const { informer: stopped } = startInformer({ resource: CONFIGMAPS, namespace, listGate: gate });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.countRequests({ verb: "list", path })).toBe(0);
    const started = Date.now();
    await stopped.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    release();
    await waiting.waitForSync(5000);
    expect(names(waiting)).toEqual(["a"]);
    expect(server.countRequests({ verb: "list", path })).toBe(1);
  });

  it("retries a failing list with backoff and reports the error until it syncs", async () => {
    const namespace = `ns${++ns}`;
    server.create(cm(namespace, "a"));
    const path = `/api/v1/namespaces/${namespace}/configmaps`;
    server.failNext(3, 500, { verb: "list", path });
    const states: string[] = [];
    const { informer } = startInformer({ resource: CONFIGMAPS, namespace, onStateChange: (s) => states.push(s.phase) });
    await informer.waitForSync(5000);
    expect(server.countRequests({ verb: "list", path })).toBe(4);
    expect(states).toContain("backoff");
    expect(names(informer)).toEqual(["a"]);
    expect(informer.state.lastError).toBeUndefined();
  });

  it("restarts a watch that fails with another error", async () => {
    const namespace = `ns${++ns}`;
    const path = `/api/v1/namespaces/${namespace}/configmaps`;
    const { informer } = startInformer({ resource: CONFIGMAPS, namespace });
    await informer.waitForSync(5000);
    await waitFor("the first watch", () => server.activeWatches === 1, 10_000, 10);
    server.failNext(2, 503, { verb: "watch", path });
    server.dropWatches();
    server.create(cm(namespace, "later"));
    await waitFor("the change after the failures", () => names(informer).includes("later"), 10_000, 10);
    expect(server.countRequests({ verb: "watch", path })).toBe(4);
    expect(server.countRequests({ verb: "list", path })).toBe(1);
  });

  it("reports a resource the server does not serve as missing, and picks it up once the CRD is installed", async () => {
    const namespace = `ns${++ns}`;
    const { informer, events } = startInformer({ resource: WIDGETS, namespace });
    await waitFor("the missing state", () => informer.state.phase === "missing", 10_000, 10);
    expect(informer.synced).toBe(false);
    expect(informer.state.lastError).toMatch(/404/);
    server.registerResource({ ...WIDGETS, custom: true });
    server.create({ apiVersion: "late.example.com/v1", kind: "Widget", metadata: { name: "w", namespace } });
    await informer.waitForSync(5000);
    expect(events).toEqual(["added w"]);
  });

  it("converges while the server drops every watch every 100 ms", async () => {
    const namespace = `ns${++ns}`;
    const { informer } = startInformer({ resource: CONFIGMAPS, namespace });
    await informer.waitForSync(5000);
    const dropper = setInterval(() => server.dropWatches(), 100);
    try {
      for (let i = 0; i < 60; i++) {
        const o = server.create(cm(namespace, `o${i}`));
        if (i % 3 === 0) server.update({ ...o, data: { v: String(i) } });
        if (i % 5 === 0) server.delete("v1", "ConfigMap", namespace, `o${i}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      const want = server.list("v1", "ConfigMap", namespace).map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
      const have = () => informer.list().map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
      await waitFor("convergence", () => JSON.stringify(have()) === JSON.stringify(want), 10_000, 10);
    } finally {
      clearInterval(dropper);
    }
  });

  it("informs on a cluster-scoped resource and keeps a throwing handler from breaking the stream", async () => {
    const NAMESPACES: ApiResourceRef = { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false };
    const seen: string[] = [];
    const informer = new Informer({
      client,
      resource: NAMESPACES,
      labelSelector: "team=edge",
      backoff: { initialMs: 20, maxMs: 100 },
      onEvent: (e) => {
        seen.push(`${e.type} ${e.object.metadata.name}`);
        if (e.object.metadata.name === "bad") throw new Error("handler bug");
      },
    });
    informers.push(informer);
    informer.start();
    await informer.waitForSync(5000);
    server.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "bad", labels: { team: "edge" } } });
    server.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "good", labels: { team: "edge" } } });
    server.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "other", labels: { team: "core" } } });
    await waitFor("the namespace after the throwing one", () => seen.includes("added good"), 10_000, 10);
    expect(seen).toEqual(["added bad", "added good"]);
    expect(names(informer)).toEqual(["bad", "good"]);
    expect(informer.get(undefined, "good")?.kind).toBe("Namespace");
  });

  it("stops promptly, even while backing off", async () => {
    const namespace = `ns${++ns}`;
    const { informer } = startInformer({ resource: WIDGETS, namespace: namespace + "-none", backoff: { initialMs: 60_000, maxMs: 60_000 } });
    server.failNext(1, 500, { verb: "list" });
    await waitFor("a first attempt", () => informer.state.phase === "backoff" || informer.state.phase === "missing" || informer.synced, 10_000, 10);
    const started = Date.now();
    await informer.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(informer.state.phase).toBe("stopped");
  });
});
