// The xds-server side of the benchmark as its own process (the watcher and the xds-server
// are separate services; on a 2-core machine, one process for everything would measure
// the benchmark's own clients as much as the system). Started by harness.ts with Node's
// IPC channel: it reports its ADS port, takes the Gateway's clusters the way the IR
// wiring gives them, and reports the fast path's per-push waits.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { connect } from "nats";
import pino from "pino";
import { register, Registry } from "prom-client";
import type { GatewayIR } from "@gatehouse/ir";
import { ResourceCache, TYPE_URLS } from "@gatehouse/xds";
import { AdsServer, listenAds, startEndpointFastPath } from "@gatehouse/xds-server";
// The translator app does not export its service from an index.
import { TranslatorService } from "@gatehouse/translator";

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
  const translator = new TranslatorService({ nc, logger, controllerName: "gatehouse.dev/gateway-controller" });
  await translator.start();
  const counter = async (name: string, metricName: string) =>
    ((await register.getSingleMetric(name)?.get())?.values ?? []).filter((v) => (v as { metricName?: string }).metricName === metricName).reduce((n, v) => n + v.value, 0);
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
        translations: await counter("gatehouse_translator_translation_seconds", "gatehouse_translator_translation_seconds_count"),
        translatorChanges: await counter("gatehouse_translator_changes_total", "gatehouse_translator_changes_total"),
      });
      loop.reset();
      waitedMs = [];
      pushes = 0;
      cachedAt = [];
    } else if (m.type === "stop") {
      await translator.close();
      await fast.stop();
      await transport.shutdown(100);
      await nc.close();
      send({ type: "done", id: m.id });
      process.disconnect();
    }
  });
  send({ type: "ready", port: transport.port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
