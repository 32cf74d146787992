// The system under test, as the services run it: a nats-server of its own with the bus
// declared, the watcher's endpoints publisher in one child process (publisher-process.ts)
// and the xds-server's ADS server with the endpoint fast path in another
// (server-process.ts). The benchmark's process holds only the Delta clients and the checks,
// so on a 2-core machine the clients' work does not slow down the system it measures.
import { connect, type NatsConnection } from "nats";
import { ensureBus, type EndpointSliceInput } from "@gatehouse/bus";
import type { Cluster } from "@gatehouse/ir";
import { gatewayIR, startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { child } from "./child";
import { GROUP, NAMESPACE } from "./constants";
import type { FromPublisher, ToPublisher } from "./publisher-process";
import type { FromServer, ToServer } from "./server-process";

export { GROUP, NAMESPACE };

export interface ServerStats {
  waitedMs: number[];
  pushes: number;
  /** When each assignment version entered the cache, in this process's performance.now() time. */
  cachedAt: Map<string, number>;
  cpuUserMs: number;
  cpuSystemMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The translator's translations and received object changes (cumulative). */
  translations: number;
  translatorChanges: number;
}

export interface RolloutFeed {
  /** When each step was fed in, in this process's performance.now() time. */
  inputAt: number[];
  publishMs: number[];
  feedSeconds: number;
}

export interface Harness {
  nats: NatsServerHandle;
  nc: NatsConnection;
  /** Feeds slices to the watcher's publisher; resolves with the input time (performance.now()) once written. */
  publish(changes: Array<{ name: string; slice?: EndpointSliceInput }>): Promise<number>;
  /** Publishes the initial slices of a rollout's Service (all old pods ready). */
  rollInit(service: string, pods: number): Promise<void>;
  /** Replays the rollout at `rate` steps per second; resolves when every write is acknowledged. */
  rollRun(rate: number): Promise<RolloutFeed>;
  /** Where Delta clients dial the xds-server. */
  address: string;
  /** Registers the Gateway's clusters with the fast path (as an IR put would). */
  setClusters(clusters: Cluster[]): Promise<void>;
  /** The fast path's per-push waits, CPU and event-loop delay since the last call. */
  serverStats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

const local = (absolute: number) => absolute - performance.timeOrigin;

export async function startHarness(opts: { windowMs: number; maxWindowMs: number }): Promise<Harness> {
  const nats = await startNatsServer({ forceSpawn: true });
  const nc = await connect({ servers: nats.url, name: "bench" });
  await ensureBus(nc);
  const server = child<ToServer, FromServer>("./server-process.ts", { NATS_URL: nats.url, WINDOW_MS: String(opts.windowMs), MAX_WINDOW_MS: String(opts.maxWindowMs) });
  const publisher = child<ToPublisher, FromPublisher>("./publisher-process.ts", { NATS_URL: nats.url });
  const ready = (await server.ready) as Extract<FromServer, { type: "ready" }>;
  await publisher.ready;

  return {
    nats,
    nc,
    async publish(changes) {
      const m = await publisher.call({ type: "publish", changes });
      return local((m as Extract<FromPublisher, { type: "done" }>).inputAt!);
    },
    async rollInit(service, pods) {
      await publisher.call({ type: "rollInit", service, pods });
    },
    async rollRun(rate) {
      const m = (await publisher.call({ type: "rollRun", rate })) as Extract<FromPublisher, { type: "rolled" }>;
      return { inputAt: m.inputAt.map(local), publishMs: m.publishMs, feedSeconds: m.feedSeconds };
    },
    address: `127.0.0.1:${ready.port}`,
    async setClusters(clusters) {
      const ir = gatewayIR({ gateway: { namespace: NAMESPACE, name: "gw" }, ipFamily: "IPv4", clusters });
      await server.call({ type: "gateway", ir });
    },
    async serverStats() {
      const m = await server.call({ type: "stats" });
      if (m.type !== "stats") throw new Error("unexpected reply");
      const { type: _t, id: _i, cachedAt, ...stats } = m;
      // The first push of a version is when it entered the cache.
      const at = new Map<string, number>();
      for (const [version, t] of cachedAt) if (!at.has(version)) at.set(version, local(t));
      return { ...stats, cachedAt: at };
    },
    async stop() {
      await Promise.all([server.call({ type: "stop" }), publisher.call({ type: "stop" })]);
      await nc.close();
      await nats.stop();
    },
  };
}

export function serviceCluster(service: string): Cluster {
  return { name: `${NAMESPACE}/${service}/80`, service: { namespace: NAMESPACE, name: service, port: 80, portName: "http" }, protocol: "http1", connectTimeoutMs: 5_000 };
}
