// The xds-server side of the benchmark as its own process (the watcher and the xds-server
// are separate services; on a 2-core machine, one process for everything would measure
// the benchmark's own clients as much as the system). Started by harness.ts with Node's
// IPC channel: it reports its ADS port, takes the Gateway's clusters the way the IR
// wiring gives them, and reports the fast path's per-push waits. The translator runs next
// to it as its own process (its entry point, as deployed), to count what endpoint churn
// makes it do (nothing: it has no consumer of the `endpoints` bucket).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { connect } from "nats";
import pino from "pino";
import { Registry } from "prom-client";
import { AdsServer, listenAds, ResourceCache } from "@gatehouse/ads";
import { startEndpointFastPath } from "@gatehouse/endpoints";
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import type { GatewayIR } from "@gatehouse/ir";
import { freePort, metricSum, scrapeMetrics, spawnEntryPoint, terminate, waitReady } from "@gatehouse/runtime";
import { TYPE_URLS } from "@gatehouse/xds";

export type ToServer = { type: "gateway"; ir: GatewayIR; id: number } | { type: "stats"; id: number } | { type: "stop"; id: number };
export type FromServer =
  | { type: "ready"; port: number }
  | { type: "done"; id: number }
  | { type: "stats"; id: number; waitedMs: number[]; pushes: number; cachedAt: Array<[version: string, at: number]>; cpuUserMs: number; cpuSystemMs: number; loopDelayP99Ms: number; loopDelayMaxMs: number; translations: number; translatorChanges: number };

async function main(): Promise<void> {
  const send = (m: FromServer) => process.send!(m);
  const nc = await connect({ servers: process.env.NATS_URL!, name: "xds-server", noAsyncTraces: true }); // as connectBus
  const logger = pino({ level: process.env.LOG_LEVEL ?? "warn" });
  const registry = new Registry();
  const cache = new ResourceCache();
  const ads = new AdsServer({ cache, logger, registry });
  const transport = await listenAds(ads, { port: 0 });
  const fast = await startEndpointFastPath({ nc, cache, logger, registry, windowMs: Number(process.env.WINDOW_MS ?? 5), maxWindowMs: Number(process.env.MAX_WINDOW_MS ?? 50) });
  await fast.ready;
  const translatorHealthPort = await freePort();
  const translatorArgs = ["--nats", process.env.NATS_URL!, "--health-port", String(translatorHealthPort), "--controller-name", DEFAULT_CONTROLLER_NAME];
  const translator = spawnEntryPoint("apps/translator/src/main.ts", translatorArgs, { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" }, process.stderr);
  process.once("exit", () => translator.kill("SIGKILL")); // never outlive the benchmark
  await waitReady(translatorHealthPort);
  let waitedMs: number[] = [];
  let pushes = 0;
  // When each assignment version entered the cache (absolute ms, comparable across the
  // benchmark's processes): splits a step's latency into input → cache and cache → client.
  let cachedAt: Array<[string, number]> = [];
  fast.fastPath.onPush((p) => {
    pushes++;
    waitedMs.push(...p.waitedMs);
    const at = performance.timeOrigin + performance.now();
    for (const name of p.clusters) {
      const version = cache.get(p.group, TYPE_URLS.endpoint, name)?.version;
      if (version) cachedAt.push([version, at]);
    }
  });
  let cpu = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  process.on("message", async (m: ToServer) => {
    if (m.type === "gateway") {
      fast.setGateway(m.ir);
      send({ type: "done", id: m.id });
    } else if (m.type === "stats") {
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      send({
        type: "stats",
        id: m.id,
        waitedMs,
        pushes,
        cachedAt,
        cpuUserMs: used.user / 1000,
        cpuSystemMs: used.system / 1000,
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
        ...(await translatorCounts(translatorHealthPort)),
      });
      loop.reset();
      waitedMs = [];
      pushes = 0;
      cachedAt = [];
    } else if (m.type === "stop") {
      await terminate(translator, 10_000);
      await fast.stop();
      await transport.shutdown(100);
      await nc.close();
      send({ type: "done", id: m.id });
      process.disconnect();
    }
  });
  send({ type: "ready", port: transport.port });
}

async function translatorCounts(healthPort: number): Promise<{ translations: number; translatorChanges: number }> {
  const text = await scrapeMetrics(healthPort);
  return { translations: metricSum(text, "gatehouse_translator_translation_seconds_count"), translatorChanges: metricSum(text, "gatehouse_translator_changes_total") };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
