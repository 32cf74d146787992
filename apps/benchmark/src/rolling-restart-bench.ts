// Rolling restart: Services of 100, 1,000 and 10,000 pods rolled with maxSurge 25% and
// maxUnavailable 0, pod by pod in the order Kubernetes emits it, fed at the watcher's
// input (its endpoints publish queue) at a fixed rate, watched by Delta clients through
// the real xds-server. Reports propagation latency, fan-out, routability and draining
// checks, EDS bytes against full-snapshot pushes, the sustained rate, and the floor
// (NATS KV put → watch → encode → gRPC push with no Gatehouse code) measured in the same
// run. Options: --pods=100,1000,10000 --rate=1000 --clients=10 --fanout-clients=1000
// --fanout-samples=30 --window-ms=5 --max-window-ms=50 --floor-samples=100 --statics=20
import { printTable, writeResults, type Row } from "./report";
import { measureFloor, type FloorResult } from "./rolling/floor";
import { startHarness } from "./rolling/harness";
import { publishStaticServices, runFanout, runRollout, summarize, type FanoutResult, type RolloutResult } from "./rolling/scenarios";

interface Options {
  pods: number[];
  rate: number;
  clients: number;
  fanoutClients: number;
  fanoutSamples: number;
  fanoutEndpoints: number;
  windowMs: number;
  maxWindowMs: number;
  floorSamples: number;
  statics: number;
}

function parse(argv: string[]): Options {
  const get = (name: string, def: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
  const num = (name: string, def: number) => {
    const v = Number(get(name, String(def)));
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
    return v;
  };
  return {
    pods: get("pods", "100,1000,10000").split(",").map(Number),
    rate: num("rate", 1000),
    clients: num("clients", 10),
    fanoutClients: num("fanout-clients", 1000),
    fanoutSamples: num("fanout-samples", 30),
    fanoutEndpoints: num("fanout-endpoints", 32),
    windowMs: num("window-ms", 5),
    maxWindowMs: num("max-window-ms", 50),
    floorSamples: num("floor-samples", 100),
    statics: num("statics", 20),
  };
}

const ms = (v: number) => Math.round(v * 100) / 100;

export async function run(argv: string[]): Promise<void> {
  const opts = parse(argv);
  const h = await startHarness({ windowMs: opts.windowMs, maxWindowMs: Math.max(opts.windowMs, opts.maxWindowMs) });
  const rollouts: RolloutResult[] = [];
  const floors: Array<FloorResult & { endpoints: number }> = [];
  let fanout: FanoutResult | undefined;
  let fanoutFloor: FloorResult | undefined;
  let endpointsConsumers = -1;
  let translator = { translations: -1, changes: -1 };
  let resourcesMessages = -1;
  try {
    const atStart = await h.serverStats();
    const statics = await publishStaticServices(h, opts.statics);
    // Warm-up, not reported: the first rollout and floor runs pay for JIT compilation.
    console.log("warming up...");
    await runRollout(h, { pods: 100, rate: opts.rate, clients: opts.clients, statics, service: "warmup" });
    await measureFloor({ nc: h.nc, natsUrl: h.nats.url, endpoints: 100, clients: opts.clients, samples: 10 });
    for (const pods of opts.pods) {
      console.log(`rolling ${pods} pods at ${opts.rate} events/s with ${opts.clients} Delta clients...`);
      rollouts.push(await runRollout(h, { pods, rate: opts.rate, clients: opts.clients, statics }));
      console.log(`floor for ${pods} endpoints...`);
      const samples = pods >= 10_000 ? Math.min(opts.floorSamples, 30) : opts.floorSamples;
      floors.push({ endpoints: pods, ...(await measureFloor({ nc: h.nc, natsUrl: h.nats.url, endpoints: pods, clients: opts.clients, samples })) });
    }
    if (opts.fanoutClients > 0) {
      console.log(`fan-out to ${opts.fanoutClients} Delta clients...`);
      fanout = await runFanout(h, { clients: opts.fanoutClients, endpoints: opts.fanoutEndpoints, samples: opts.fanoutSamples });
      fanoutFloor = await measureFloor({ nc: h.nc, natsUrl: h.nats.url, endpoints: opts.fanoutEndpoints, clients: opts.fanoutClients, samples: opts.fanoutSamples });
    }
    // The translator never sees endpoint events: the fast path's consumer is the only one
    // on the endpoints bucket, and nothing was written to the buckets the translator reads.
    const atEnd = await h.serverStats();
    translator = { translations: atEnd.translations - atStart.translations, changes: atEnd.translatorChanges - atStart.translatorChanges };
    const jsm = await h.nc.jetstreamManager();
    endpointsConsumers = (await jsm.consumers.list("KV_endpoints").next()).length;
    resourcesMessages = (await jsm.streams.info("KV_resources")).state.messages + (await jsm.streams.info("KV_derived")).state.messages;
  } finally {
    await h.stop();
  }

  const rows: Row[] = rollouts.map((r, i) => {
    const lat = summarize(r.latenciesMs);
    const floor = summarize(floors[i].perClientMs);
    return {
      pods: r.pods,
      events: r.steps,
      "in ev/s": Math.round(r.inputRate),
      "sustained ev/s": Math.round(r.sustainedRate),
      "p50 ms": ms(lat.p50),
      "p99 ms": ms(lat.p99),
      "max ms": ms(lat.max),
      "pub p99": ms(summarize(r.publishMs).p99),
      "xds p99": ms(summarize(r.serverWaitMs).p99),
      "→cache p50/p99": `${ms(summarize(r.toCacheMs).p50)}/${ms(summarize(r.toCacheMs).p99)}`,
      "cache→client p50/p99": `${ms(summarize(r.toClientMs).p50)}/${ms(summarize(r.toClientMs).p99)}`,
      "floor p50": ms(floor.p50),
      "floor p99": ms(floor.p99),
      "p99/floor": ms(lat.p99 / floor.p99),
      "no-routable": r.momentsWithoutRoutable,
      "left serving": r.leftWhileServing,
      reordered: r.reordered,
      lost: r.lostAtEnd,
      "EDS MB": ms(r.edsBytes / 1e6),
      "full MB": ms(r.fullSnapshotBytes / 1e6),
    };
  });
  printTable(`Rolling restart: propagation, watcher input → ${opts.clients} Delta clients (window ${opts.windowMs} ms, widening to ${opts.maxWindowMs} ms under load)`, rows);
  if (fanout && fanoutFloor) {
    const last = summarize(fanout.lastMs);
    const floorLast = summarize(fanoutFloor.lastClientMs);
    printTable(`Fan-out: one endpoint change → ${fanout.clients} Delta clients (time until the last has it)`, [
      { path: "gatehouse", "CLA bytes": fanout.claBytes, samples: fanout.samples, "p50 ms": ms(last.p50), "p99 ms": ms(last.p99), "max ms": ms(last.max) },
      { path: "floor", "CLA bytes": fanoutFloor.claBytes, samples: fanout.samples, "p50 ms": ms(floorLast.p50), "p99 ms": ms(floorLast.p99), "max ms": ms(floorLast.max) },
    ]);
  }
  printTable("Checks", [
    ...rollouts.map((r) => ({
      pods: r.pods,
      "views checked": r.receipts,
      "server pushes": r.serverPushes,
      "server CPU s": ms(r.serverCpuMs / 1000),
      "loop delay p99/max ms": `${ms(r.serverLoopDelayP99Ms)}/${ms(r.serverLoopDelayMaxMs)}`,
      "distinct states": r.versions,
      "min HEALTHY": r.minHealthy,
      "delivered/expected": `${r.delivered}/${r.expectedDeliveries}`,
      "ahead of input": r.aheadOfInput,
      unexpected: r.unexpected,
    })),
  ]);
  console.log(
    `\ntranslator during the run: ${translator.translations} translations, ${translator.changes} changes received; ` +
      `consumers of the endpoints bucket: ${endpointsConsumers} (the xds-server fast path); messages in the translator's buckets: ${resourcesMessages}`,
  );
  writeResults("rolling-restart", {
    options: opts,
    rollouts: rollouts.map(({ latenciesMs, serverWaitMs, publishMs, toCacheMs, toClientMs, ...r }) => ({
      ...r,
      latency: summarize(latenciesMs),
      inputToCache: summarize(toCacheMs),
      cacheToClient: summarize(toClientMs),
      serverWait: summarize(serverWaitMs),
      publish: summarize(publishMs),
    })),
    floors: floors.map((f) => ({ endpoints: f.endpoints, claBytes: f.claBytes, perClient: summarize(f.perClientMs), lastClient: summarize(f.lastClientMs) })),
    fanout: fanout && { ...fanout, perClientMs: undefined, lastMs: undefined, last: summarize(fanout.lastMs), perClient: summarize(fanout.perClientMs) },
    fanoutFloor: fanoutFloor && { claBytes: fanoutFloor.claBytes, last: summarize(fanoutFloor.lastClientMs), perClient: summarize(fanoutFloor.perClientMs) },
    translator: { ...translator, endpointsConsumers, messagesInTranslatorBuckets: resourcesMessages },
  });
}
