// The measurements of the rolling-restart benchmark, each against the running harness: a
// rollout replayed at a fixed rate with a few Delta clients watching, a fan-out of single
// changes to many clients, and the static Services that give the Gateway the rest of its
// endpoints (what a full-snapshot push would have to resend).
import type { EndpointSliceInput } from "@gatehouse/bus";
import { XdsTestClient } from "@gatehouse/testing";
import { TYPE_URLS } from "@gatehouse/xds";
import { percentile } from "../report";
import { HEALTHY, scanClusterLoadAssignment } from "./cla-scan";
import { until } from "./floor";
import { GROUP, NAMESPACE, serviceCluster, type Harness } from "./harness";
import { ObserverThread } from "./observer-thread";
import { planRollout } from "./rollout";
import type { ObserverReport } from "./rollout-observer";

const EDS = TYPE_URLS.endpoint;

export interface RolloutResult extends ObserverReport {
  pods: number;
  steps: number;
  feedSeconds: number;
  inputRate: number;
  /** Steps per second from the first input until every client had the final state. */
  sustainedRate: number;
  /** Watcher input → KV put acknowledged, per step (ms). */
  publishMs: number[];
  /** The fast path inside the xds-server: bucket receipt → cache, per cluster push (ms). */
  serverWaitMs: number[];
  serverPushes: number;
  serverCpuMs: number;
  serverLoopDelayP99Ms: number;
  serverLoopDelayMaxMs: number;
  edsBytes: number;
  fullSnapshotBytes: number;
  pushes: number;
}

function staticSlice(service: string, s: number): EndpointSliceInput {
  return {
    metadata: { namespace: NAMESPACE, name: `${service}-00000`, labels: { "kubernetes.io/service-name": service } },
    addressType: "IPv4",
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
    endpoints: Array.from({ length: 10 }, (_, i) => ({
      addresses: [`10.200.${s}.${i + 1}`],
      conditions: { ready: true, serving: true, terminating: false },
      zone: "zone-a",
      targetRef: { kind: "Pod", name: `${service}-${i}` },
    })),
  };
}

/** Static Services (10 endpoints each) that the Gateway also routes to. */
export async function publishStaticServices(h: Harness, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, s) => `static-${s}`);
  await h.publish(names.map((service, s) => ({ name: `${service}-00000`, slice: staticSlice(service, s) })));
  return names;
}

function connectClients(h: Harness, count: number, prefix: string, names: string[]): XdsTestClient[] {
  return Array.from({ length: count }, (_, i) => {
    const c = XdsTestClient.connect(h.address, { id: `${prefix}-${i}`, cluster: GROUP }, { protocol: "delta" });
    c.subscribe(EDS, names);
    return c;
  });
}

function healthyCount(c: XdsTestClient, cluster: string): number {
  const r = c.of(EDS).get(cluster);
  if (!r) return -1;
  let n = 0;
  for (const h of scanClusterLoadAssignment(r.bytes).values()) if (h === HEALTHY) n++;
  return n;
}

export async function runRollout(
  h: Harness,
  opts: { pods: number; rate: number; clients: number; statics: string[]; settleTimeoutMs?: number; service?: string },
): Promise<RolloutResult> {
  const service = opts.service ?? `web-${opts.pods}`;
  const cluster = serviceCluster(service).name;
  const rollout = planRollout(opts.pods); // the same plan the publisher replays (same seed)
  await h.rollInit(service, opts.pods);
  const staticClusters = opts.statics.map((s) => serviceCluster(s).name);
  await h.setClusters([...opts.statics.map(serviceCluster), serviceCluster(service)]);

  const clients = connectClients(h, opts.clients, `roll-${opts.pods}`, [...staticClusters, cluster]);
  const observer = new ObserverThread({ pods: opts.pods, clients: clients.length });
  try {
    await observer.ready;
    await until(() => clients.every((c) => healthyCount(c, cluster) === opts.pods && staticClusters.every((n) => c.of(EDS).has(n))), 60_000, "initial assignments");
    let staticBytes = 0;
    for (const n of staticClusters) staticBytes += clients[0].of(EDS).get(n)?.bytes.length ?? 0;
    clients.forEach((c, i) => {
      const r = c.of(EDS).get(cluster)!;
      observer.baseline(i, r.version, r.bytes);
      c.responses.length = 0;
    });
    await h.serverStats(); // resets the server's counters

    // During the run the clients only receive and ACK, as proxies would. What they received
    // goes to the observer thread, which checks it when asked: neither the checks' CPU
    // during the run nor the garbage collection of what they keep pauses the clients.
    let edsBytes = 0;
    let fullSnapshotBytes = 0;
    let pushes = 0;
    let lastReceipt = 0;
    const drain = () => {
      clients.forEach((c, i) => {
        for (const r of c.responses) {
          if (r.typeUrl !== EDS) continue;
          for (const res of r.resources) {
            edsBytes += res.bytes.length;
            if (res.name !== cluster) continue;
            pushes++;
            fullSnapshotBytes += res.bytes.length + staticBytes;
            observer.receive(i, res.version, res.bytes, r.receivedAt);
            lastReceipt = Math.max(lastReceipt, r.receivedAt);
          }
        }
        c.responses.length = 0;
      });
    };

    const start = performance.now();
    let fed = false;
    const feeding = h.rollRun(opts.rate).finally(() => (fed = true));
    while (!fed) {
      drain();
      await new Promise((r) => setTimeout(r, 5));
    }
    const feed = await feeding;
    // Settled: every client shows the rollout's final state.
    let settled = false;
    const deadline = performance.now() + (opts.settleTimeoutMs ?? 60_000);
    while (performance.now() < deadline) {
      drain();
      if ((await observer.lost()) === 0) {
        settled = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    drain();
    const server = await h.serverStats();
    const report = await observer.report(feed.inputAt, server.cachedAt);
    const firstInput = feed.inputAt[0] ?? start;
    return {
      ...report,
      pods: opts.pods,
      steps: rollout.steps.length,
      feedSeconds: feed.feedSeconds,
      inputRate: rollout.steps.length / feed.feedSeconds,
      sustainedRate: settled ? rollout.steps.length / ((lastReceipt - firstInput) / 1000) : NaN,
      publishMs: feed.publishMs,
      serverWaitMs: server.waitedMs,
      serverPushes: server.pushes,
      serverCpuMs: server.cpuUserMs + server.cpuSystemMs,
      serverLoopDelayP99Ms: server.loopDelayP99Ms,
      serverLoopDelayMaxMs: server.loopDelayMaxMs,
      edsBytes,
      fullSnapshotBytes,
      pushes,
    };
  } finally {
    for (const c of clients) c.close();
    await observer.close();
  }
}

export interface FanoutResult {
  clients: number;
  endpoints: number;
  claBytes: number;
  samples: number;
  lastMs: number[];
  perClientMs: number[];
}

/** One endpoint change at a time, reaching `clients` Delta clients subscribed to one assignment. */
export async function runFanout(h: Harness, opts: { clients: number; endpoints: number; samples: number }): Promise<FanoutResult> {
  const service = "fan";
  const cluster = serviceCluster(service).name;
  const slice = (drain: number): EndpointSliceInput => ({
    metadata: { namespace: NAMESPACE, name: "fan-00000", labels: { "kubernetes.io/service-name": service } },
    addressType: "IPv4",
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
    endpoints: Array.from({ length: opts.endpoints }, (_, i) => ({
      addresses: [`10.50.0.${i + 1}`],
      conditions: { ready: i !== drain, serving: true, terminating: i === drain },
      zone: "zone-a",
      targetRef: { kind: "Pod", name: `fan-${i}` },
    })),
  });
  await h.publish([{ name: "fan-00000", slice: slice(-1) }]);
  await h.setClusters([serviceCluster(service)]);
  const clients = connectClients(h, opts.clients, "fan", [cluster]);
  try {
    await until(() => clients.every((c) => c.of(EDS).has(cluster)), 120_000, "fan-out clients");
    const lastMs: number[] = [];
    const perClientMs: number[] = [];
    const receipt = (c: XdsTestClient) => c.responses.find((r) => r.resources.some((x) => x.name === cluster));
    for (let s = 0; s < opts.samples; s++) {
      for (const c of clients) c.responses.length = 0;
      const t0 = await h.publish([{ name: "fan-00000", slice: slice(s % opts.endpoints) }]);
      await until(() => clients.every((c) => receipt(c) !== undefined), 30_000, `fan-out sample ${s}`);
      const times = clients.map((c) => receipt(c)!.receivedAt - t0);
      perClientMs.push(...times);
      lastMs.push(Math.max(...times));
    }
    return { clients: opts.clients, endpoints: opts.endpoints, claBytes: clients[0].of(EDS).get(cluster)?.bytes.length ?? 0, samples: opts.samples, lastMs, perClientMs };
  } finally {
    for (const c of clients) c.close();
  }
}

export function summarize(values: number[]): { p50: number; p99: number; max: number } {
  let max = values.length ? -Infinity : NaN;
  for (const v of values) if (v > max) max = v;
  return { p50: percentile(values, 50), p99: percentile(values, 99), max };
}
