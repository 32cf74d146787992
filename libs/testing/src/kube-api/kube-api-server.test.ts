/* eslint-disable @typescript-eslint/no-explicit-any -- raw API responses are read loosely here; the expectations check their shape */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api, CustomObjectsApi, KubernetesObjectApi, Watch, type KubeConfig } from "@kubernetes/client-node";
import { KINDS } from "@gatehouse/kube";
import { BUILTIN_RESOURCES, crdOf } from "./api-resources";
import { KubeApiTestServer } from "./kube-api-server";
import { waitFor } from "../wait/wait-for";

const ROUTE_CRD = crdOf("HTTPRoute");
const ROUTES = "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes";

let server: KubeApiTestServer;
let kc: KubeConfig;
let n = 0;
const unique = (p: string) => `${p}-${++n}`;

beforeAll(async () => {
  server = await KubeApiTestServer.start({ historySize: 50, bookmarkIntervalMs: 100 });
  server.registerResource(ROUTE_CRD);
  kc = server.kubeConfig();
});
afterAll(() => server.stop());
afterEach(() => server.dropWatches());

async function raw(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; json: any }> {
  const res = await fetch(server.url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": contentType },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

const route = (name: string, spec: unknown = { hostnames: ["a.example"] }, labels?: Record<string, string>) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name, namespace: "default", ...(labels ? { labels } : {}) },
  spec,
});

interface Collected {
  events: { type: string; object: any }[];
  done: Promise<unknown>;
  abort: () => void;
}

async function watch(path: string, params: Record<string, string | number | boolean | undefined>): Promise<Collected> {
  const events: Collected["events"] = [];
  let finish!: (e: unknown) => void;
  const done = new Promise((r) => (finish = r));
  const ctl = await new Watch(kc).watch(path, params, (type, object) => events.push({ type, object }), (err) => finish(err ?? null));
  return { events, done, abort: () => ctl.abort() };
}

describe("KubeApiTestServer with @kubernetes/client-node", () => {
  it("lists core objects through CoreV1Api with one global resourceVersion", async () => {
    const a = server.create({ apiVersion: "v1", kind: "Service", metadata: { name: unique("svc"), namespace: "ns1" }, spec: { ports: [{ port: 80 }] } });
    const b = server.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: unique("cm"), namespace: "ns1" }, data: { k: "v" } });
    expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
    const list = await kc.makeApiClient(CoreV1Api).listNamespacedService({ namespace: "ns1" });
    expect(list.items.map((s) => s.metadata?.name)).toEqual([a.metadata.name]);
    expect(list.metadata?.resourceVersion).toBe(String(server.resourceVersion));
  });

  it("serves discovery so KubernetesObjectApi finds built-in kinds and CRDs, and 404s unknown ones", async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    server.create(route(unique("disc")));
    const routes = await api.list("gateway.networking.k8s.io/v1", "HTTPRoute", "default");
    expect(routes.items.length).toBeGreaterThan(0);
    expect(routes.items[0].kind).toBe("HTTPRoute");
    await expect(api.list("example.com/v1", "Widget", "default")).rejects.toThrow(/404|Widget/);
    expect((await raw("GET", "/apis/example.com/v1/namespaces/default/widgets")).json).toMatchObject({ kind: "Status", code: 404, reason: "NotFound" });
  });

  it("answers the discovery paths: /api, /apis, a group and a group version with its status subresource", async () => {
    expect((await raw("GET", "/api")).json).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const groups = (await raw("GET", "/apis")).json;
    expect(groups.kind).toBe("APIGroupList");
    expect(groups.groups).toContainEqual({ name: ROUTE_CRD.group, versions: [{ groupVersion: `${ROUTE_CRD.group}/v1`, version: "v1" }], preferredVersion: { groupVersion: `${ROUTE_CRD.group}/v1`, version: "v1" } });
    expect((await raw("GET", `/apis/${ROUTE_CRD.group}`)).json).toMatchObject({ kind: "APIGroup", name: ROUTE_CRD.group });
    const resources = (await raw("GET", `/apis/${ROUTE_CRD.group}/v1`)).json;
    expect(resources).toMatchObject({ kind: "APIResourceList", groupVersion: `${ROUTE_CRD.group}/v1` });
    expect(resources.resources.map((r: any) => r.name)).toEqual(["httproutes", "httproutes/status"]);
    expect((await raw("GET", "/apis/nope.example.com/v1")).status).toBe(404);
  });

  it("serves the Kubernetes kinds of libs/kube's KINDS table where the table says, and no Gateway API kind until its CRD is installed", async () => {
    const builtIn = KINDS.filter((k) => !k.group.includes("gateway"));
    for (const k of builtIn) expect(BUILTIN_RESOURCES).toContainEqual(expect.objectContaining({ group: k.group, version: k.version, kind: k.kind, plural: k.plural, namespaced: k.namespaced, custom: false }));
    const service = builtIn.find((k) => k.kind === "Service")!;
    expect((await raw("GET", `/api/${service.version}/namespaces/default/${service.plural}`)).json).toMatchObject({ kind: "ServiceList" });
    expect(BUILTIN_RESOURCES.some((r) => r.group.includes("gateway"))).toBe(false);
    expect((await raw("GET", "/apis/gateway.networking.k8s.io/v1/gateways")).status).toBe(404);
    expect(crdOf("Gateway")).toEqual({ group: "gateway.networking.k8s.io", version: "v1", kind: "Gateway", plural: "gateways", namespaced: true, statusSubresource: true, custom: true });
    expect(crdOf("ReferenceGrant").statusSubresource).toBe(false);
    expect(() => crdOf("Service")).toThrow(/not a custom resource/);
  });

  it("picks up a CRD registered after start", async () => {
    const path = "/apis/late.example.com/v1/namespaces/default/things";
    expect((await raw("GET", path)).status).toBe(404);
    server.registerResource({ group: "late.example.com", version: "v1", kind: "Thing", plural: "things", namespaced: true, custom: true });
    const list = await raw("GET", path);
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ kind: "ThingList", items: [] });
  });

  it("filters lists by label selector and metadata.name/namespace field selectors", async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const a = unique("sel");
    server.create(route(a, undefined, { app: "web", tier: "front" }));
    server.create(route(unique("sel"), undefined, { app: "db" }));
    const byLabel = async (labelSelector: string) =>
      ((await api.listNamespacedCustomObject({ group: ROUTE_CRD.group, version: "v1", namespace: "default", plural: "httproutes", labelSelector })) as any).items.map((i: any) => i.metadata.name);
    expect(await byLabel("app=web")).toEqual([a]);
    expect(await byLabel("app in (web),tier")).toEqual([a]);
    expect(await byLabel("app=web,!tier")).toEqual([]);
    expect(await byLabel("app notin (db),app")).toContain(a);
    const byField = await raw("GET", `${ROUTES}?fieldSelector=metadata.name%3D${a}`);
    expect(byField.json.items.map((i: any) => i.metadata.name)).toEqual([a]);
    const allNs = await raw("GET", `/apis/gateway.networking.k8s.io/v1/httproutes?fieldSelector=metadata.namespace!%3Ddefault`);
    expect(allNs.json.items).toEqual([]);
    expect((await raw("GET", `${ROUTES}?fieldSelector=spec.foo%3Dx`)).json).toMatchObject({ code: 400, reason: "BadRequest" });
  });

  it("serves lists at resourceVersion unset, 0 or not newer than its own, and times out on a future one", async () => {
    const path = "/api/v1/namespaces/rv/configmaps";
    const current = server.resourceVersion;
    for (const rv of ["", "0", String(current)]) {
      const list = await raw("GET", `${path}?resourceVersion=${rv}`);
      expect(list.status).toBe(200);
      expect(list.json.metadata.resourceVersion).toBe(String(current));
    }
    expect((await raw("GET", `${path}?resourceVersion=${current + 100}`)).json).toMatchObject({ kind: "Status", code: 504, reason: "Timeout" });
  });

  it("omits apiVersion/kind on items of built-in lists, as the real server does", async () => {
    server.create({ apiVersion: "v1", kind: "Secret", metadata: { name: unique("s"), namespace: "ns2" } });
    const list = await raw("GET", "/api/v1/namespaces/ns2/secrets");
    expect(list.json.kind).toBe("SecretList");
    expect(list.json.items[0].kind).toBeUndefined();
  });

  it("creates with server-set uid, generation, creationTimestamp, resourceVersion, and 409 AlreadyExists on a duplicate", async () => {
    const name = unique("create");
    const created = await raw("POST", ROUTES, route(name));
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({ name, namespace: "default", generation: 1 });
    expect(created.json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.json.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.json.metadata.resourceVersion).toBe(String(server.resourceVersion));
    const again = await raw("POST", ROUTES, route(name));
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ kind: "Status", status: "Failure", reason: "AlreadyExists", code: 409, details: { name, group: ROUTE_CRD.group, kind: "httproutes" } });
  });

  it("updates with a resourceVersion precondition and bumps generation only when the spec changes", async () => {
    const obj = server.create(route(unique("upd"))) as any;
    const path = `${ROUTES}/${obj.metadata.name}`;
    const labelled = await raw("PUT", path, { ...obj, metadata: { ...obj.metadata, labels: { a: "b" } } });
    expect(labelled.json.metadata.generation).toBe(1);
    expect(Number(labelled.json.metadata.resourceVersion)).toBeGreaterThan(Number(obj.metadata.resourceVersion));
    const stale = await raw("PUT", path, { ...obj, spec: { hostnames: ["b.example"] } });
    expect(stale.status).toBe(409);
    expect(stale.json.reason).toBe("Conflict");
    const respec = await raw("PUT", path, { ...labelled.json, spec: { hostnames: ["b.example"] } });
    expect(respec.json.metadata.generation).toBe(2);
    const noop = await raw("PUT", path, respec.json);
    expect(noop.json.metadata.resourceVersion).toBe(respec.json.metadata.resourceVersion);
  });

  it("changes only status through /status, and ignores status on the main resource", async () => {
    const obj = server.create(route(unique("st"))) as any;
    const path = `${ROUTES}/${obj.metadata.name}`;
    const viaMain = await raw("PUT", path, { ...obj, status: { parents: [{ controllerName: "x" }] } });
    expect(viaMain.json.status).toBeUndefined();
    const viaStatus = await raw("PUT", `${path}/status`, { ...obj, spec: { hostnames: ["ignored"] }, status: { parents: [] } });
    expect(viaStatus.json.status).toEqual({ parents: [] });
    expect(viaStatus.json.spec).toEqual(obj.spec);
    expect(viaStatus.json.metadata.generation).toBe(1);
    server.conflictOnNextStatusWrite();
    expect((await raw("PUT", `${path}/status`, viaStatus.json)).json).toMatchObject({ code: 409, reason: "Conflict" });
    expect((await raw("PUT", `${path}/status`, { ...viaStatus.json, status: { parents: [{ controllerName: "y" }] } })).status).toBe(200);
    expect((await raw("GET", `/api/v1/namespaces/default/configmaps/x/status`)).status).toBe(404);
  });

  it("patches with merge patch, JSON patch and server-side apply", async () => {
    const name = unique("patch");
    const obj = server.create(route(name, { hostnames: ["a"], rules: [{}] }, { keep: "1" })) as any;
    const path = `${ROUTES}/${name}`;
    const merged = await raw("PATCH", path, { metadata: { labels: { keep: null, added: "1" } } }, "application/merge-patch+json");
    expect(merged.json.metadata.labels).toEqual({ added: "1" });
    const jsonPatched = await raw("PATCH", path, [{ op: "test", path: "/spec/hostnames/0", value: "a" }, { op: "add", path: "/spec/hostnames/-", value: "b" }], "application/json-patch+json");
    expect(jsonPatched.json.spec.hostnames).toEqual(["a", "b"]);
    expect((await raw("PATCH", path, [{ op: "test", path: "/spec/hostnames/0", value: "z" }], "application/json-patch+json")).status).toBe(422);
    expect((await raw("PATCH", path, {}, "application/strategic-merge-patch+json")).status).toBe(415);

    const applyYaml = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${name}\nspec:\n  hostnames: [c]\n`;
    expect((await raw("PATCH", path, applyYaml, "application/apply-patch+yaml")).json).toMatchObject({ code: 400 });
    const applied = await raw("PATCH", `${path}?fieldManager=gatehouse`, applyYaml, "application/apply-patch+yaml");
    expect(applied.json.spec).toEqual({ hostnames: ["c"], rules: [{}] });
    expect(applied.json.metadata.labels).toEqual({ added: "1" });
    expect(applied.json.metadata.managedFields).toMatchObject([{ manager: "gatehouse", operation: "Apply" }]);
    expect(applied.json.metadata.uid).toBe(obj.metadata.uid);

    const fresh = unique("apply");
    const created = await raw("PATCH", `${ROUTES}/${fresh}?fieldManager=gatehouse`, applyYaml.replace(name, fresh), "application/apply-patch+yaml");
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({ name: fresh, generation: 1 });

    const statusMerge = await raw("PATCH", `${path}/status`, { status: { parents: [] }, spec: { hostnames: [] } }, "application/merge-patch+json");
    expect(statusMerge.json.status).toEqual({ parents: [] });
    expect(statusMerge.json.spec.hostnames).toEqual(["c"]);
  });

  it("deletes and garbage-collects dependents by owner uid (transitively), orphaning on request", async () => {
    const owner = server.create({ apiVersion: "v1", kind: "Service", metadata: { name: unique("owner"), namespace: "gc" } });
    const ref = (o: any) => [{ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid }];
    const slice = server.create({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: unique("slice"), namespace: "gc", ownerReferences: ref(owner) } });
    const grandchild = server.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: unique("cm"), namespace: "gc", ownerReferences: ref(slice) } });
    const shared = server.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: unique("cm"), namespace: "gc", ownerReferences: [...ref(owner), ...ref(grandchild)] } });
    const del = await raw("DELETE", `/api/v1/namespaces/gc/services/${owner.metadata.name}`);
    expect(del.status).toBe(200);
    expect(server.get("discovery.k8s.io/v1", "EndpointSlice", "gc", slice.metadata.name!)).toBeUndefined();
    expect(server.get("v1", "ConfigMap", "gc", grandchild.metadata.name!)).toBeUndefined();
    // shared lost its first owner, then its second: gone too.
    expect(server.get("v1", "ConfigMap", "gc", shared.metadata.name!)).toBeUndefined();

    const owner2 = server.create({ apiVersion: "v1", kind: "Service", metadata: { name: unique("owner"), namespace: "gc" } });
    const kept = server.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: unique("cm"), namespace: "gc", ownerReferences: ref(owner2) } });
    await raw("DELETE", `/api/v1/namespaces/gc/services/${owner2.metadata.name}?propagationPolicy=Orphan`);
    expect(server.get("v1", "ConfigMap", "gc", kept.metadata.name!)?.metadata.ownerReferences).toBeUndefined();
    expect((await raw("DELETE", `/api/v1/namespaces/gc/services/${owner2.metadata.name}`)).json).toMatchObject({ code: 404, reason: "NotFound" });
  });

  it("keeps an object with finalizers until they are removed", async () => {
    const obj = server.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: unique("fin"), namespace: "default", finalizers: ["x/y"] } }) as any;
    const path = `/api/v1/namespaces/default/configmaps/${obj.metadata.name}`;
    const deleting = await raw("DELETE", path);
    expect(deleting.json.metadata.deletionTimestamp).toBeDefined();
    expect((await raw("GET", path)).status).toBe(200);
    await raw("PUT", path, { ...deleting.json, metadata: { ...deleting.json.metadata, finalizers: [] } });
    expect((await raw("GET", path)).status).toBe(404);
  });

  it("watches from a resourceVersion: ADDED, MODIFIED, DELETED, with selector transitions", async () => {
    const rv = String(server.resourceVersion);
    const w = await watch(ROUTES, { resourceVersion: rv, labelSelector: "app=web" });
    const name = unique("w");
    const obj = server.create(route(name, undefined, { app: "web" })) as any;
    server.update({ ...obj, spec: { hostnames: ["x"] } });
    const latest = server.get(obj.apiVersion, obj.kind, "default", name)!;
    server.update({ ...latest, metadata: { ...latest.metadata, labels: { app: "db" } } });
    const again = server.get(obj.apiVersion, obj.kind, "default", name)!;
    server.update({ ...again, metadata: { ...again.metadata, labels: { app: "web" } } });
    server.delete(obj.apiVersion, obj.kind, "default", name);
    await waitFor("five watch events", () => w.events.length >= 5, 5000, 10);
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([`ADDED ${name}`, `MODIFIED ${name}`, `DELETED ${name}`, `ADDED ${name}`, `DELETED ${name}`]);
    expect(w.events[0].object.kind).toBe("HTTPRoute");
    expect(Number(w.events[4].object.metadata.resourceVersion)).toBe(server.resourceVersion);
    w.abort();
  });

  it("replays history since the resourceVersion, and without one sends the current state as ADDED", async () => {
    const before = String(server.resourceVersion);
    const name = unique("replay");
    server.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "replay" } });
    const resumed = await watch("/api/v1/namespaces/replay/configmaps", { resourceVersion: before });
    const fresh = await watch("/api/v1/namespaces/replay/configmaps", {});
    await waitFor("one event on each watch", () => resumed.events.length === 1 && fresh.events.length === 1, 5000, 10);
    expect(resumed.events[0]).toMatchObject({ type: "ADDED", object: { metadata: { name } } });
    expect(fresh.events[0]).toMatchObject({ type: "ADDED", object: { metadata: { name } } });
  });

  it("sends BOOKMARKs with the current resourceVersion only when allowWatchBookmarks is set", async () => {
    const withBm = await watch("/api/v1/namespaces/bm/configmaps", { resourceVersion: String(server.resourceVersion), allowWatchBookmarks: true });
    const without = await watch("/api/v1/namespaces/bm/configmaps", { resourceVersion: String(server.resourceVersion) });
    server.create({ apiVersion: "v1", kind: "Secret", metadata: { name: unique("other"), namespace: "bm" } });
    await waitFor("a bookmark at the current resourceVersion", () => withBm.events.some((e) => e.type === "BOOKMARK" && e.object.metadata.resourceVersion === String(server.resourceVersion)), 5000, 10);
    server.sendBookmarks();
    await new Promise((r) => setTimeout(r, 150));
    expect(without.events).toEqual([]);
  });

  it("answers a watch from a compacted resourceVersion with an ERROR 410 Gone event and ends it", async () => {
    const old = String(server.resourceVersion);
    server.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: unique("c"), namespace: "compact" } });
    server.compact();
    const w = await watch("/api/v1/namespaces/compact/configmaps", { resourceVersion: old });
    await w.done;
    expect(w.events).toEqual([{ type: "ERROR", object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired" }) }]);
    // History bounded by historySize compacts too.
    const start = String(server.resourceVersion);
    for (let i = 0; i < 60; i++) server.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: unique("h"), namespace: "compact" } });
    const late = await watch("/api/v1/namespaces/compact/configmaps", { resourceVersion: start });
    await late.done;
    expect(late.events[0].object.code).toBe(410);
  });

  it("ends a watch after timeoutSeconds, and on dropWatches", async () => {
    const started = Date.now();
    const timed = await watch("/api/v1/namespaces/t/configmaps", { timeoutSeconds: 1 });
    expect(await timed.done).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const dropped = await watch("/api/v1/namespaces/t/configmaps", {});
    await waitFor("an active watch", () => server.activeWatches > 0, 5000, 10);
    server.dropWatches();
    await dropped.done;
    expect(server.activeWatches).toBe(0);
  });

  it("fails the next N matching requests with the given code, and counts requests by verb and path", async () => {
    server.resetRequestCounts();
    server.failNext(2, 503, { verb: "list" });
    const path = "/api/v1/namespaces/fail/configmaps";
    expect((await raw("GET", path)).json).toMatchObject({ kind: "Status", code: 503, reason: "ServiceUnavailable" });
    expect((await raw("GET", `${path}/x`)).status).toBe(404);
    expect((await raw("GET", path)).status).toBe(503);
    expect((await raw("GET", path)).status).toBe(200);
    expect(server.countRequests({ verb: "list", path })).toBe(3);
    expect(server.countRequests({ verb: "get" })).toBe(1);
    expect(server.countRequests({ path: /configmaps/ })).toBe(4);
  });

  it("answers after the configured latency, but opens watches at once", async () => {
    const path = "/api/v1/namespaces/slow/configmaps";
    // Long enough that a loaded machine's own delays cannot be mistaken for it.
    server.setLatency(1_000);
    try {
      let t = performance.now();
      expect((await raw("GET", path)).status).toBe(200);
      expect(performance.now() - t).toBeGreaterThanOrEqual(990);
      t = performance.now();
      const res = await fetch(`${server.url}${path}?watch=true&resourceVersion=${server.resourceVersion}`);
      expect(res.status).toBe(200);
      expect(performance.now() - t).toBeLessThan(900);
      await res.body?.cancel();
    } finally {
      server.setLatency(0);
    }
  });
});
