// Kubernetes mode at cluster scale: the watcher process (the deployed bundle) syncs 10,000
// Services, 10,000 EndpointSlices and 2,000 HTTPRoutes from the Kubernetes API test server
// (its own process) into a fresh nats-server. Reports start → /readyz and → every key on the
// bus, the watcher's resident set (peak, settled) and heap, CPU, and a burst of EndpointSlice
// changes after the sync until all are on the bus. Options: --services=10000 --slices=10000
// --routes=2000 --gateways=4 --namespaces=100 --burst=1000 --settle-ms=5000
// --timeout-ms=600000 --seed=1 --runner=bundle|tsx. BENCH_PROFILE=<dir> writes the watcher's
// CPU profile and a heap snapshot taken after the sync there; WATCHER_LOG_LEVEL sets its log level.
import path from "node:path";
import { positiveNumberOptions } from "./options";
import { printTable, writeResults } from "./report";
import { runKubeSync, type KubeSyncOptions } from "./kube-sync/scenario";
import type { WatcherRunner } from "./kube-sync/watcher-process";

const DEFAULTS = { services: 10_000, slices: 10_000, routes: 2_000, gateways: 4, namespaces: 100, burst: 1_000, "settle-ms": 5_000, "timeout-ms": 600_000, seed: 1 };

export function parseKubeSyncOptions(argv: string[]): KubeSyncOptions {
  const runnerArg = argv.find((a) => a.startsWith("--runner="));
  const runner = (runnerArg?.slice("--runner=".length) ?? "bundle") as WatcherRunner;
  if (runner !== "bundle" && runner !== "tsx") throw new Error(`--runner must be bundle or tsx, not ${runner}`);
  const n = positiveNumberOptions(argv.filter((a) => a !== runnerArg), DEFAULTS);
  for (const [k, v] of Object.entries(n)) if (!Number.isInteger(v)) throw new Error(`--${k} must be an integer`);
  return {
    services: n.services,
    slices: n.slices,
    routes: n.routes,
    gateways: n.gateways,
    namespaces: n.namespaces,
    seed: n.seed,
    burst: n.burst,
    settleMs: n["settle-ms"],
    timeoutMs: n["timeout-ms"],
    runner,
    profileDir: process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : undefined,
    logLevel: process.env.WATCHER_LOG_LEVEL,
  };
}

const s = (ms: number) => Math.round(ms) / 1000;

export async function run(argv: string[]): Promise<void> {
  const opts = parseKubeSyncOptions(argv);
  console.log(`kube-sync: ${opts.services} Services, ${opts.slices} EndpointSlices, ${opts.routes} HTTPRoutes, ${opts.gateways} Gateways in ${opts.namespaces} namespaces; watcher: ${opts.runner}`);
  const r = await runKubeSync(opts);
  printTable("Initial sync: watcher process start → ready bus (Kubernetes API test server in its own process, fresh nats-server)", [
    {
      objects: r.objects.inCluster,
      "resources keys": r.objects.resources,
      "endpoints keys": r.objects.endpoints,
      "→ readyz s": s(r.sync.readyMs),
      "→ resources s": s(r.sync.resourcesStoredMs),
      "→ endpoints s": s(r.sync.endpointsStoredMs),
      "watcher CPU s": s(r.sync.watcherCpuMs),
      "API server CPU s": s(r.sync.apiServerCpuMs),
      unexpected: r.sync.unexpectedKeys,
      "load avg": `${r.loadAverage.atStart.toFixed(1)}→${r.loadAverage.atEnd.toFixed(1)}`,
    },
  ]);
  const mem = (phase: string, m: { rssMiB: number; heapUsedMiB: number; heapTotalMiB: number; externalMiB: number }) => ({ phase, "RSS MiB": m.rssMiB, "heap used MiB": m.heapUsedMiB, "heap total MiB": m.heapTotalMiB, "external MiB": m.externalMiB });
  printTable("Watcher memory", [
    { phase: "first sample (just started)", "RSS MiB": r.memory.firstSampleRssMiB, "heap used MiB": "", "heap total MiB": "", "external MiB": "" },
    { phase: "peak (VmHWM; heap: highest sample)", "RSS MiB": r.memory.peakRssMiB, "heap used MiB": r.memory.peakHeapUsedMiB, "heap total MiB": "", "external MiB": "" },
    mem(`${s(opts.settleMs)} s after sync`, r.memory.afterSync.settled),
    mem("  then after a full GC (live set)", r.memory.afterSync.afterFullGc),
    ...(r.memory.afterBurst ? [mem(`${s(opts.settleMs)} s after burst`, r.memory.afterBurst.settled), mem("  then after a full GC (live set)", r.memory.afterBurst.afterFullGc)] : []),
  ]);
  if (r.burst) {
    printTable(`Burst: ${r.burst.changes} EndpointSlice changes stored in the API server at once → on the bus`, [
      { changes: r.burst.changes, "all on bus ms": r.burst.allOnBusMs, "p50 ms": r.burst.p50Ms, "p99 ms": r.burst.p99Ms, "max ms": r.burst.maxMs, "watcher CPU ms": r.burst.watcherCpuMs },
    ]);
  }
  writeResults("kube-sync", { options: opts, ...r });
}
