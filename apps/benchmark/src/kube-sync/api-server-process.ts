// The Kubernetes API test server of the kube-sync benchmark, in its own process: serialising
// lists of 10,000 objects and fanning out watch events is the API server's work, and on a
// 2-core machine it would otherwise stall the benchmark's own clock and bus reads (the
// watcher is a separate process either way). Spoken to over Node's IPC channel (child.ts):
// it loads the cluster model, applies a burst of EndpointSlice changes, reports its CPU.
import { KINDS, type KubeObject } from "@gatehouse/kube";
import { apiVersionOf, BUILTIN_RESOURCES, KubeApiTestServer } from "@gatehouse/testing";
import { changeSlice, clusterObjects, routeStatus, type ClusterSize } from "./cluster-model";

export type ToApiServer =
  | { type: "load"; id: number; size: ClusterSize; controllerName: string }
  | { type: "burst"; id: number; count: number }
  | { type: "stats"; id: number }
  | { type: "stop"; id: number };

/** A published object: its identity (kind, namespace, name) as the watcher keys it. */
export interface LoadedObject {
  kind: string;
  namespace: string;
  name: string;
}

export type FromApiServer =
  | { type: "ready"; kubeconfig: string; url: string }
  | { type: "loaded"; id: number; published: LoadedObject[]; objects: number; resourceVersion: number; loadMs: number }
  /** Each change: the slice, the resourceVersion it got, and when it was stored (wall-clock ms). */
  | { type: "burst-applied"; id: number; changes: Array<{ namespace: string; name: string; resourceVersion: string; at: number }> }
  | { type: "stats"; id: number; cpuUserMs: number; cpuSystemMs: number; rssBytes: number; lists: number; watches: number }
  | { type: "done"; id: number };

/** Every resource of the KINDS table the test server does not serve built in, installed as CRDs are. */
function installCrds(api: KubeApiTestServer): void {
  const builtin = new Set(BUILTIN_RESOURCES.map((r) => `${apiVersionOf(r)}/${r.plural}`));
  for (const k of KINDS) {
    if (builtin.has(`${apiVersionOf(k)}/${k.plural}`)) continue;
    api.registerResource({ group: k.group, version: k.version, kind: k.kind, plural: k.plural, namespaced: k.namespaced, statusSubresource: true, custom: true });
  }
}

const identity = (o: KubeObject): LoadedObject => ({ kind: o.kind, namespace: o.metadata.namespace ?? "", name: o.metadata.name });

async function main(): Promise<void> {
  const send = (m: FromApiServer) => process.send!(m);
  // History deep enough for the burst to be resumable, as a real API server's watch cache is.
  const api = await KubeApiTestServer.start({ historySize: Number(process.env.API_HISTORY ?? 50_000) });
  process.once("disconnect", () => process.exit(0)); // never outlive the benchmark
  let slices: KubeObject[] = [];
  let cpu = process.cpuUsage();

  process.on("message", (m: ToApiServer) => {
    if (m.type === "load") {
      const started = performance.now();
      installCrds(api);
      const { objects, published } = clusterObjects(m.size, m.controllerName);
      const serviceUids = new Map<string, string>();
      for (const obj of objects) {
        if (obj.kind === "EndpointSlice") {
          const owner = (obj.metadata.ownerReferences as { name: string; uid: string }[])[0];
          owner.uid = serviceUids.get(`${obj.metadata.namespace}/${owner.name}`) ?? "";
        }
        const created = api.create(obj);
        if (obj.kind === "Service") serviceUids.set(`${obj.metadata.namespace}/${obj.metadata.name}`, created.metadata.uid!);
        if (obj.kind === "HTTPRoute") api.update({ ...created, status: routeStatus(obj, m.controllerName) }, "status");
      }
      slices = api.list("discovery.k8s.io/v1", "EndpointSlice") as KubeObject[];
      cpu = process.cpuUsage();
      send({ type: "loaded", id: m.id, published: published.map(identity), objects: objects.length, resourceVersion: api.resourceVersion, loadMs: performance.now() - started });
    } else if (m.type === "burst") {
      // Spread over the namespaces (a stride through the sorted list), distinct while count <= slices.
      const stride = slices.length > 1 ? largestCoprimeBelow(slices.length, Math.ceil(slices.length / 2) + 1) : 1;
      const changes: Array<{ namespace: string; name: string; resourceVersion: string; at: number }> = [];
      for (let n = 0; n < m.count; n++) {
        const i = (n * stride) % slices.length;
        const stored = api.update(changeSlice(slices[i], n)) as KubeObject;
        slices[i] = stored;
        changes.push({ namespace: stored.metadata.namespace!, name: stored.metadata.name, resourceVersion: stored.metadata.resourceVersion!, at: Date.now() });
      }
      send({ type: "burst-applied", id: m.id, changes });
    } else if (m.type === "stats") {
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      send({ type: "stats", id: m.id, cpuUserMs: used.user / 1000, cpuSystemMs: used.system / 1000, rssBytes: process.memoryUsage.rss(), lists: api.countRequests({ verb: "list" }), watches: api.countRequests({ verb: "watch" }) });
    } else if (m.type === "stop") {
      void api.stop().then(() => {
        send({ type: "done", id: m.id });
        process.disconnect();
      });
    }
  });
  send({ type: "ready", kubeconfig: api.kubeconfigYaml(), url: api.url });
}

/** The largest number <= `from` that shares no factor with `n` (a stride that visits every index once). */
function largestCoprimeBelow(n: number, from: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  for (let s = from; s > 1; s--) if (gcd(n, s) === 1) return s;
  return 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
