// What the Kubernetes-mode watcher tests share: a test API server with the Gateway API CRDs
// the tests use, a nats-server, watchers built on a client that records its status calls
// (to tell which replica wrote what, and when), and readers of the buckets that compare the
// bus with the cluster. Used by tests only.
import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { BucketStore, encodeKey, watchBucket, type StatusRecord } from "@gatehouse/bus";
import { KubeClient, type ApiObject, type ApiResourceRef } from "@gatehouse/kube-client";
import { crdOf, KubeApiTestServer, startNatsServer, waitFor, type NatsServerHandle } from "@gatehouse/testing";
import { bucketKeys } from "../publish/bucket-keys";
import { KubeWatcherService, type KubeWatcherOptions } from "./kube-watcher-service";

export const OURS = "gatehouse.dev/gateway-controller";
export const GW = "gateway.networking.k8s.io";
export const GWV1 = `${GW}/v1`;
/** Short leases so a takeover happens within a test; the proportions are client-go's. */
export const TIMING = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };

export interface StatusPut {
  at: number;
  kind: string;
  namespace: string;
  name: string;
  status: unknown;
}

/** A client that counts (and records) the status writer's calls, and how many overlapped. */
export class CountingClient extends KubeClient {
  statusGets = 0;
  statusPuts = 0;
  readonly puts: StatusPut[] = [];
  /** PUTs to an object that already had one in flight. */
  overlaps = 0;
  /** Most status PUTs in flight at once. */
  maxInFlight = 0;
  private readonly putting = new Set<string>();
  override get<T extends ApiObject = ApiObject>(r: ApiResourceRef, namespace: string | undefined, name: string): Promise<T> {
    if (r.kind !== "Lease") this.statusGets++;
    return super.get<T>(r, namespace, name);
  }
  override async replaceStatus<T extends ApiObject = ApiObject>(r: ApiResourceRef, obj: NoInfer<T>): Promise<T> {
    this.statusPuts++;
    const id = `${r.kind}/${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
    if (this.putting.has(id)) this.overlaps++;
    this.putting.add(id);
    this.maxInFlight = Math.max(this.maxInFlight, this.putting.size);
    let written: T;
    try {
      written = await super.replaceStatus<T>(r, obj);
    } finally {
      this.putting.delete(id);
    }
    this.puts.push({ at: Date.now(), kind: r.kind, namespace: obj.metadata.namespace ?? "", name: obj.metadata.name, status: obj.status });
    return written;
  }
}

export const gateway = (name: string) => ({ apiVersion: GWV1, kind: "Gateway", metadata: { name, namespace: "default" }, spec: { gatewayClassName: "gatehouse", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } });
export const route = (name: string, path = "/") => ({
  apiVersion: GWV1,
  kind: "HTTPRoute",
  metadata: { name, namespace: "default" },
  spec: { parentRefs: [{ name: "gw" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: path } }] }] },
});
export const endpointSlice = (name: string, addresses: string[]) => ({
  apiVersion: "discovery.k8s.io/v1",
  kind: "EndpointSlice",
  metadata: { name, namespace: "default", labels: { "kubernetes.io/service-name": "svc" } },
  addressType: "IPv4",
  endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true } })),
  ports: [{ port: 80 }],
});
export const key = (kind: string, name: string, namespace = "default") => encodeKey({ kind, namespace, name });

/** The status record the translator would put for a route (one parent, ours). */
export function routeStatus(name: string, reason: string): StatusRecord {
  return {
    ref: { group: GW, kind: "HTTPRoute", namespace: "default", name },
    observedGeneration: 1,
    status: { parents: [{ parentRef: { name: "gw" }, controllerName: OURS, conditions: [{ type: "Accepted", status: "True", reason, message: "", observedGeneration: 1, lastTransitionTime: "2026-01-01T00:00:00Z" }] }] },
  };
}

export class KubeWatcherTestEnv {
  readonly running: KubeWatcherService[] = [];
  readonly log = pino({ level: process.env.TEST_LOG ?? "silent" });
  private leases = 0;

  private constructor(
    readonly api: KubeApiTestServer,
    readonly nats: NatsServerHandle,
    readonly nc: NatsConnection,
  ) {}

  static async start(): Promise<KubeWatcherTestEnv> {
    const [api, nats] = await Promise.all([KubeApiTestServer.start({ bookmarkIntervalMs: 100 }), startNatsServer()]);
    for (const kind of ["GatewayClass", "Gateway", "HTTPRoute"]) api.registerResource(crdOf(kind));
    return new KubeWatcherTestEnv(api, nats, await connect({ servers: nats.url }));
  }

  newLeaseName(): string {
    return `watcher-${++this.leases}`;
  }

  /** A watcher (not started) with its own counting client. */
  watcher(leaseName = this.newLeaseName(), extra: Partial<KubeWatcherOptions> = {}): { w: KubeWatcherService; client: CountingClient } {
    const client = new CountingClient(this.api.kubeConfig());
    const w = new KubeWatcherService({
      nc: this.nc,
      client,
      logger: this.log,
      controllerName: OURS,
      leaderElection: { namespace: "default", name: leaseName, ...TIMING },
      informerBackoff: { initialMs: 20, maxMs: 200 },
      watchTimeoutSeconds: () => 30,
      ...extra,
    });
    this.running.push(w);
    return { w, client };
  }

  /** Starts a watcher and waits until it is ready (listed and swept). */
  async start(leaseName?: string, extra?: Partial<KubeWatcherOptions>): Promise<{ w: KubeWatcherService; client: CountingClient }> {
    const made = this.watcher(leaseName, extra);
    await made.w.start();
    await waitFor("watcher ready", () => made.w.ready);
    return made;
  }

  /** Stops a watcher gracefully, or like a crash (`kill`: the Lease is not released). */
  async stopWatcher(w: KubeWatcherService, how: "close" | "kill" = "close"): Promise<void> {
    this.running.splice(this.running.indexOf(w), 1);
    await (how === "kill" ? w.kill() : w.close());
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.running.splice(0).map((w) => w.close()));
  }

  async close(): Promise<void> {
    await this.stopAll();
    await this.nc.close();
    await Promise.all([this.api.stop(), this.nats.stop()]);
  }

  keys(bucket: "resources" | "endpoints"): Promise<string[]> {
    return bucketKeys(this.nc, bucket);
  }

  async has(bucket: "resources" | "endpoints", k: string): Promise<boolean> {
    return (await this.keys(bucket)).includes(k);
  }

  /** resourceVersion of every object on the bus, by key, for the given kinds. */
  async busVersions(kinds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const wanted = (k: string) => kinds.some((kind) => k.startsWith(`${kind}.`));
    for (const bucket of ["resources", "endpoints"] as const) {
      const watch = await watchBucket(this.nc, bucket, {
        onValue: (k, v) => {
          if (!wanted(k)) return;
          const meta = "object" in v ? v.object.metadata : v.metadata;
          out.set(k, String(meta.resourceVersion));
        },
        onDelete: (k) => void out.delete(k),
      });
      await watch.replayed;
      await watch.stop();
    }
    return out;
  }

  /** resourceVersion of every object the cluster holds, by bus key, for the given kinds (apiVersion per kind). */
  clusterVersions(kinds: Record<string, string>): Map<string, string> {
    const out = new Map<string, string>();
    for (const [kind, apiVersion] of Object.entries(kinds)) {
      for (const o of this.api.list(apiVersion, kind)) out.set(key(kind, o.metadata.name!, o.metadata.namespace), String(o.metadata.resourceVersion));
    }
    return out;
  }

  /** Waits until the bus holds exactly what the cluster holds (same keys, same resourceVersions) for these kinds. */
  async waitBusEqualsCluster(kinds: Record<string, string>, what: string, timeoutMs = 30_000): Promise<void> {
    let last = "";
    try {
      await waitFor(
        what,
        async () => {
          const bus = await this.busVersions(Object.keys(kinds));
          const cluster = this.clusterVersions(kinds);
          const diff = [...new Set([...bus.keys(), ...cluster.keys()])].filter((k) => bus.get(k) !== cluster.get(k));
          last = diff.slice(0, 10).map((k) => `${k}: bus ${bus.get(k) ?? "-"} cluster ${cluster.get(k) ?? "-"}`).join("; ");
          return diff.length === 0;
        },
        timeoutMs,
        200,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; differences: ${last}`);
    }
  }

  /** Puts status records the way the translator does: concurrently (32 at once). */
  async putStatuses(records: StatusRecord[]): Promise<void> {
    const status = await BucketStore.open(this.nc, "status");
    let next = 0;
    const worker = async () => {
      while (next < records.length) {
        const r = records[next++];
        await status.put(encodeKey(r.ref), r);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
  }
}
