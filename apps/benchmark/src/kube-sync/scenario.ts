// The kube-sync scenario: a cluster of Services, EndpointSlices and HTTPRoutes in the
// Kubernetes API test server (its own process), a fresh nats-server, and the real watcher
// process in Kubernetes mode pointed at it. Measures start → /readyz, start → every key
// stored in `resources` and `endpoints` (by NATS's own timestamps), the watcher's resident
// set (peak and settled) and heap, its CPU time, and then a burst of EndpointSlice changes
// until every one is on the bus.
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { connect } from "nats";
import { encodeKey, ensureBus } from "@gatehouse/bus";
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import { bucketOf } from "@gatehouse/kube";
import { freePort, terminate, waitReady } from "@gatehouse/runtime";
import { startNatsServer } from "@gatehouse/testing";
import { child } from "../rolling/child";
import { percentile } from "../report";
import type { FromApiServer, LoadedObject, ToApiServer } from "./api-server-process";
import { collectGarbage } from "./inspector-gc";
import { BusTracker, type TrackedBucket } from "./bus-tracker";
import type { ClusterSize } from "./cluster-model";
import { ProcessSampler } from "./process-sampler";
import { bundleWatcher, startWatcher, type WatcherRunner } from "./watcher-process";

export interface KubeSyncOptions extends ClusterSize {
  /** EndpointSlice changes in the burst after the sync (0: no burst phase). */
  burst: number;
  /** Quiet time after sync (and after the burst) before the "settled" memory is read. */
  settleMs: number;
  runner: WatcherRunner;
  /** Longest wait for the sync and for the burst. */
  timeoutMs: number;
  /** The watcher's log level (its log goes to this process's stderr; default warn). */
  logLevel?: string;
  /** Profile the watcher into this folder: CPU profile at exit, heap snapshot once the sync settled. */
  profileDir?: string;
}

export interface MemoryReading {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

/** Memory after a quiet time, as V8 left it, and right after a forced full collection (the live set). */
export interface SettledMemory {
  settled: MemoryReading;
  afterFullGc: MemoryReading;
}

export interface KubeSyncResult {
  objects: { inCluster: number; resources: number; endpoints: number };
  load: { ms: number };
  sync: {
    /** Spawn → /readyz 200. */
    readyMs: number;
    /** Spawn → the last expected key stored in each bucket. */
    resourcesStoredMs: number;
    endpointsStoredMs: number;
    /** Keys in the buckets that are not in the cluster model (another controller's class, unreferenced Secrets): must be 0. */
    unexpectedKeys: number;
    watcherCpuMs: number;
    apiServerCpuMs: number;
  };
  memory: {
    /** Highest resident set of the whole run (the kernel's high-water mark; when profiling, up to the heap snapshot). */
    peakRssMiB: number;
    peakHeapUsedMiB: number;
    /** At /readyz (the process had just started when the first sample was taken). */
    firstSampleRssMiB: number;
    afterSync: SettledMemory;
    afterBurst?: SettledMemory;
  };
  burst?: {
    changes: number;
    /** First change stored in the API server → the last change stored on the bus. */
    allOnBusMs: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    watcherCpuMs: number;
  };
  rssTimeline: Array<{ atMs: number; rssMiB: number }>;
  heapTimeline: Array<{ atMs: number; heapUsedMiB: number; heapTotalMiB: number }>;
  /** 1-minute load average when the watcher started and at the end (2 cores: above 2, wall times stretch). */
  loadAverage: { atStart: number; atEnd: number };
}

const MiB = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
const keyOf = (o: LoadedObject) => encodeKey(o);

export async function runKubeSync(opts: KubeSyncOptions): Promise<KubeSyncResult> {
  const work = mkdtempSync(path.join(tmpdir(), "gatehouse-kube-sync-"));
  const nats = await startNatsServer({ forceSpawn: true });
  const api = child<ToApiServer, FromApiServer>(new URL("./api-server-process.ts", import.meta.url), {});
  let watcher: ReturnType<typeof startWatcher> | undefined;
  let sampler: ProcessSampler | undefined;
  let tracker: BusTracker | undefined;
  const nc = await connect({ servers: nats.url, noAsyncTraces: true });
  try {
    const ready = (await api.ready) as Extract<FromApiServer, { type: "ready" }>;
    const loaded = (await api.call({ type: "load", size: pick(opts), controllerName: DEFAULT_CONTROLLER_NAME })) as Extract<FromApiServer, { type: "loaded" }>;
    const expected: Record<TrackedBucket, string[]> = { resources: [], endpoints: [] };
    for (const o of loaded.published) expected[bucketOf(o.kind) === "endpoints" ? "endpoints" : "resources"].push(keyOf(o));
    const kubeconfig = path.join(work, "kubeconfig");
    writeFileSync(kubeconfig, ready.kubeconfig);
    await ensureBus(nc);
    const bundle = opts.runner === "bundle" ? await bundleWatcher() : undefined;

    if (opts.profileDir) mkdirSync(opts.profileDir, { recursive: true });
    const healthPort = await freePort();
    // What is measured is the sync of an existing cluster: the proxies the leader would apply
    // for the Gateways would add Services and Deployments of their own (not "unexpected", but
    // not part of the cluster being synced), so the applier is off.
    const args = ["--provider", "kubernetes", "--manage-infrastructure=false", "--nats", nats.url, "--health-port", String(healthPort)];
    const inspectPort = await freePort();
    const loadAtStart = loadavg()[0];
    const startedAt = Date.now();
    const t0 = performance.now();
    const env = { KUBECONFIG: kubeconfig, LOG_LEVEL: opts.logLevel ?? "warn", POD_NAME: "bench-watcher" };
    watcher = startWatcher({ runner: opts.runner, bundle, args, env, inspectPort, profileDir: opts.profileDir });
    sampler = new ProcessSampler(watcher.pid!, healthPort);
    const exited = new Promise<never>((_, reject) => watcher!.once("exit", (code, signal) => reject(new Error(`the watcher exited (${code ?? signal}) before it was ready`))));
    const firstSample = sampler.sample();
    await Promise.race([waitReady(healthPort, opts.timeoutMs), exited]);
    const readyMs = performance.now() - t0;
    const cpuAtReady = sampler.sample()?.cpuMs ?? NaN;

    tracker = await BusTracker.start(nc);
    await tracker.waitForKeys(expected, opts.timeoutMs);
    // Read now: the burst stores newer values of some keys.
    const resourcesStoredMs = tracker.lastStoredAt("resources", expected.resources) - startedAt;
    const endpointsStoredMs = tracker.lastStoredAt("endpoints", expected.endpoints) - startedAt;
    const expectedSet = new Set([...expected.resources, ...expected.endpoints]);
    const unexpectedKeys = [...tracker.keys("resources"), ...tracker.keys("endpoints")].filter((k) => !expectedSet.has(k)).length;
    const apiAtSync = (await api.call({ type: "stats" })) as Extract<FromApiServer, { type: "stats" }>;

    const afterSync = await settle(sampler, opts.settleMs, () => collectGarbage(watcher!.pid!, inspectPort));
    // A heap snapshot doubles the process for a while: the peak is read before it.
    const peakBeforeSnapshot = sampler.sample()?.peakRssBytes ?? NaN;
    if (opts.profileDir) await heapSnapshot(watcher, opts.profileDir);
    let burst: KubeSyncResult["burst"];
    let afterBurst: SettledMemory | undefined;
    if (opts.burst > 0) {
      const cpuBefore = sampler.sample()?.cpuMs ?? NaN;
      const applied = (await api.call({ type: "burst", count: opts.burst })) as Extract<FromApiServer, { type: "burst-applied" }>;
      const final = new Map<string, { rv: number; at: number }>();
      for (const c of applied.changes) final.set(encodeKey({ kind: "EndpointSlice", namespace: c.namespace, name: c.name }), { rv: Number(c.resourceVersion), at: c.at });
      tracker.expectVersions(new Map([...final].map(([k, v]) => [k, v.rv])));
      const storedAt = await tracker.waitForVersions(opts.timeoutMs);
      const latencies = [...final].map(([k, v]) => storedAt.get(k)! - v.at);
      const first = Math.min(...applied.changes.map((c) => c.at));
      burst = {
        changes: applied.changes.length,
        allOnBusMs: Math.max(...storedAt.values()) - first,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: Math.max(...latencies),
        watcherCpuMs: (sampler.sample()?.cpuMs ?? NaN) - cpuBefore,
      };
      afterBurst = await settle(sampler, opts.settleMs, () => collectGarbage(watcher!.pid!, inspectPort));
    }
    const last = sampler.sample();
    sampler.stop();
    return {
      objects: { inCluster: loaded.objects, resources: expected.resources.length, endpoints: expected.endpoints.length },
      load: { ms: loaded.loadMs },
      sync: {
        readyMs,
        resourcesStoredMs,
        endpointsStoredMs,
        unexpectedKeys,
        watcherCpuMs: cpuAtReady,
        apiServerCpuMs: apiAtSync.cpuUserMs + apiAtSync.cpuSystemMs,
      },
      memory: {
        peakRssMiB: MiB(opts.profileDir ? peakBeforeSnapshot : (last?.peakRssBytes ?? NaN)),
        peakHeapUsedMiB: MiB(sampler.peakHeapUsedBytes()),
        firstSampleRssMiB: MiB(firstSample?.rssBytes ?? NaN),
        afterSync,
        afterBurst,
      },
      burst,
      loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] },
      rssTimeline: thin(sampler.samples, 60).map((s) => ({ atMs: Math.round(s.atMs), rssMiB: MiB(s.rssBytes) })),
      heapTimeline: thin(sampler.heap, 60).map((h) => ({ atMs: Math.round(h.atMs), heapUsedMiB: MiB(h.heapUsedBytes), heapTotalMiB: MiB(h.heapTotalBytes) })),
    };
  } finally {
    sampler?.stop();
    await tracker?.stop();
    if (watcher) await terminate(watcher, 10_000);
    await api.call({ type: "stop" }).catch(() => undefined);
    await nc.close();
    await nats.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function pick(o: KubeSyncOptions): ClusterSize {
  return { services: o.services, slices: o.slices, routes: o.routes, gateways: o.gateways, namespaces: o.namespaces, seed: o.seed };
}

/** Waits `ms` of quiet and reads resident set and heap; then again after a full GC. */
async function settle(sampler: ProcessSampler, ms: number, fullGc: () => Promise<void>): Promise<SettledMemory> {
  await new Promise((r) => setTimeout(r, ms));
  const settled = await readMemory(sampler);
  await fullGc();
  return { settled, afterFullGc: await readMemory(sampler) };
}

async function readMemory(sampler: ProcessSampler): Promise<MemoryReading> {
  const p = sampler.sample();
  const h = await sampler.sampleHeap();
  return { rssMiB: MiB(p?.rssBytes ?? NaN), heapUsedMiB: MiB(h?.heapUsedBytes ?? NaN), heapTotalMiB: MiB(h?.heapTotalBytes ?? NaN), externalMiB: MiB(h?.externalBytes ?? NaN) };
}

/** Asks the watcher for a heap snapshot (SIGUSR2) and waits until it is written. */
async function heapSnapshot(watcher: ChildProcess, dir: string): Promise<void> {
  const snapshots = () => readdirSync(dir).filter((f) => f.endsWith(".heapsnapshot"));
  const before = snapshots().length;
  watcher.kill("SIGUSR2");
  const deadline = Date.now() + 300_000;
  let lastSize = -1;
  for (;;) {
    const added = snapshots().slice(before);
    const size = added.length ? statSync(path.join(dir, added[0])).size : -1;
    if (size > 0 && size === lastSize) break; // written and no longer growing
    if (Date.now() > deadline) throw new Error("no heap snapshot within 5 min");
    lastSize = size;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  console.error(`heap snapshot written to ${dir}`);
}

/** At most `n` samples, evenly spaced, for the JSON report. */
function thin<T>(samples: T[], n: number): T[] {
  if (samples.length <= n) return samples;
  const step = samples.length / n;
  return Array.from({ length: n }, (_, i) => samples[Math.floor(i * step)]);
}
