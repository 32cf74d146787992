// ADS load: 1,000 concurrent Delta streams (Envoy-like test clients, each on its own
// connection, in child processes so they do not share the server's event loop) on one
// server and one Gateway. Measures, per stream, the time from a cache update to that
// stream's ACK, for a route change (a new RouteConfiguration to every proxy) and an
// endpoint change (one ClusterLoadAssignment), and the server's memory per stream.
// Options: --streams=1000 --route-rounds=10 --endpoint-rounds=20 --clusters=50 --endpoints=10
// --client-procs=1 (the clients' own work is spread over this many processes)
import { fork, type ChildProcess } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { AdsServer, listenAds, ResourceCache, xdsResource, type XdsResource } from "@gatehouse/ads";
import { messageType, TYPE_URLS as T } from "@gatehouse/xds";
import { XdsTestClient } from "@gatehouse/testing";
import { Registry } from "prom-client";
import { positiveIntegerFlag } from "./options";
import { percentile, printTable, writeResults, type Row } from "./report";

const GROUP = "bench/gateway";

interface Options {
  streams: number;
  routeRounds: number;
  endpointRounds: number;
  clusters: number;
  endpoints: number;
  clientProcs: number;
}

function parse(argv: string[]): Options {
  const num = (name: string, fallback: number) => positiveIntegerFlag(argv, name, fallback);
  return {
    streams: num("streams", 1000),
    routeRounds: num("route-rounds", 10),
    endpointRounds: num("endpoint-rounds", 20),
    clusters: num("clusters", 50),
    endpoints: num("endpoints", 10),
    clientProcs: num("client-procs", 1),
  };
}

function encode(typeUrl: string, name: string, obj: object): XdsResource {
  const type = messageType(typeUrl);
  return xdsResource(typeUrl, name, type.encode(type.fromObject(obj)).finish());
}

const clusterName = (i: number) => `backend-${i}`;

function clusterResource(i: number): XdsResource {
  return encode(T.cluster, clusterName(i), {
    name: clusterName(i),
    type: "EDS",
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: "V3" } },
    connect_timeout: { seconds: 1 },
  });
}

function claResource(i: number, endpoints: number, gen: number): XdsResource {
  return encode(T.endpoint, clusterName(i), {
    cluster_name: clusterName(i),
    endpoints: [
      {
        lb_endpoints: Array.from({ length: endpoints }, (_, k) => ({
          endpoint: { address: { socket_address: { address: `10.${i % 250}.${gen % 250}.${k + 1}`, port_value: 8080 } } },
          health_status: "HEALTHY",
        })),
      },
    ],
  });
}

function routeResource(clusters: number, gen: number): XdsResource {
  return encode(T.route, "routes", {
    name: "routes",
    virtual_hosts: Array.from({ length: clusters }, (_, i) => ({
      name: `vh-${i}`,
      domains: [`app-${i}.example.com`],
      routes: [{ match: { prefix: `/v${gen}` }, route: { cluster: clusterName((i + gen) % clusters) } }],
    })),
  });
}

function listenerResource(): XdsResource {
  return encode(T.listener, "http", {
    name: "http",
    address: { socket_address: { address: "0.0.0.0", port_value: 8080 } },
  });
}

/** The client side, run in a child process: opens the streams and reports when all are served. */
async function runClients(): Promise<void> {
  const [address, firstRaw, streamsRaw, clustersRaw] = process.argv.slice(2);
  const first = Number(firstRaw);
  const streams = Number(streamsRaw);
  const clusters = Array.from({ length: Number(clustersRaw) }, (_, i) => clusterName(i));
  const clients: XdsTestClient[] = [];
  for (let i = first; i < first + streams; i++) {
    // XdsTestClient gives each client its own connection, as each Envoy has.
    const c = XdsTestClient.connect(address, { id: `proxy-${i}`, cluster: GROUP }, { protocol: "delta" });
    c.subscribe(T.cluster);
    c.subscribe(T.endpoint, clusters);
    c.subscribe(T.listener);
    c.subscribe(T.route, ["routes"]);
    clients.push(c);
  }
  await Promise.all(
    clients.map((c) =>
      c.waitFor((x) => x.of(T.endpoint).size === clusters.length && x.of(T.route).size === 1 && x.of(T.listener).size === 1, 120_000, "initial config"),
    ),
  );
  process.send!({ kind: "ready" });
  process.on("message", (m: { kind: string }) => {
    if (m.kind !== "close") return;
    const bytes = clients.reduce((s, c) => s + c.stats.bytesReceived, 0);
    for (const c of clients) c.close();
    process.send!({ kind: "closed", bytes }, () => process.exit(0));
  });
}

function forceGc(): () => void {
  setFlagsFromString("--expose_gc");
  return runInNewContext("gc") as () => void;
}

function memory(gc: () => void) {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external + m.arrayBuffers };
}

function waitMessage(child: ChildProcess, kind: string, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client process: no "${kind}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: Record<string, unknown>) => {
      if (m.kind !== kind) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(m);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`client process exited with ${code}`)));
  });
}

interface RoundResult {
  readonly perStreamMs: number[];
  /** Server CPU (user + system) spent from the update to the last ACK. */
  readonly serverCpuMs: number;
  readonly lastAckMs: number;
  /** When the server had written the round's last response. */
  readonly lastWriteMs: number;
}

export async function run(argv: string[]): Promise<void> {
  const opts = parse(argv);
  const gc = forceGc();
  const cache = new ResourceCache();
  const clusterIds = Array.from({ length: opts.clusters }, (_, i) => i);
  cache.setGroupSnapshot(GROUP, {
    [T.cluster]: clusterIds.map(clusterResource),
    [T.endpoint]: clusterIds.map((i) => claResource(i, opts.endpoints, 0)),
    [T.listener]: [listenerResource()],
    [T.route]: [routeResource(opts.clusters, 0)],
  });
  const ads = new AdsServer({ cache, registry: new Registry() });
  const transport = await listenAds(ads, { port: 0 });
  const address = `127.0.0.1:${transport.port}`;

  // One listener times every ACK of the round in progress.
  let round: { typeUrl: string; t0: number; acked: Map<number, number>; lastWriteMs: number; done: () => void } | undefined;
  ads.addEventListener({
    onResponse: (e) => {
      if (round && e.typeUrl === round.typeUrl) round.lastWriteMs = performance.now() - round.t0;
    },
    onAck: (e) => {
      if (!round || e.typeUrl !== round.typeUrl || round.acked.has(e.streamId)) return;
      round.acked.set(e.streamId, performance.now() - round.t0);
      if (round.acked.size === opts.streams) round.done();
    },
  });
  const measure = (typeUrl: string, update: () => void): Promise<RoundResult> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`round of ${typeUrl}: ${round?.acked.size}/${opts.streams} ACKs after 30 s`)), 30_000);
      const cpu0 = process.cpuUsage();
      round = {
        typeUrl,
        t0: performance.now(),
        acked: new Map(),
        lastWriteMs: 0,
        done: () => {
          clearTimeout(timer);
          const perStreamMs = [...round!.acked.values()];
          const lastWriteMs = round!.lastWriteMs;
          const cpu = process.cpuUsage(cpu0);
          round = undefined;
          resolve({ perStreamMs, lastAckMs: Math.max(...perStreamMs), lastWriteMs, serverCpuMs: (cpu.user + cpu.system) / 1000 });
        },
      };
      update();
    });

  const before = memory(gc);
  const connectStart = performance.now();
  console.log(`opening ${opts.streams} Delta streams to ${address}...`);
  const children = Array.from({ length: opts.clientProcs }, (_, k) => {
    const first = Math.floor((k * opts.streams) / opts.clientProcs);
    const count = Math.floor(((k + 1) * opts.streams) / opts.clientProcs) - first;
    return fork(fileURLToPath(import.meta.url), [address, String(first), String(count), String(opts.clusters)], {
      env: { ...process.env, ADS_LOAD_CLIENTS: "1" },
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
  });
  try {
    await Promise.all(children.map((c) => waitMessage(c, "ready", 180_000)));
    const connectMs = performance.now() - connectStart;
    const after = memory(gc);
    const streams = ads.streamCount;
    console.log(`${streams} streams served in ${Math.round(connectMs)} ms; measuring...`);

    const routeRounds: RoundResult[] = [];
    for (let k = 1; k <= opts.routeRounds; k++) {
      // Encoded before the clock starts: the cache and the streams are what is measured.
      const next = routeResource(opts.clusters, k);
      routeRounds.push(await measure(T.route, () => cache.setGroupResources(GROUP, T.route, [next])));
    }
    const endpointRounds: RoundResult[] = [];
    for (let k = 1; k <= opts.endpointRounds; k++) {
      const next = claResource(k % opts.clusters, opts.endpoints, k);
      endpointRounds.push(await measure(T.endpoint, () => cache.updateResources(GROUP, T.endpoint, [next])));
    }

    const closing = children.map((c) => waitMessage(c, "closed", 30_000));
    for (const c of children) c.send({ kind: "close" });
    const closedBytes = (await Promise.all(closing)).reduce((sum, m) => sum + Number(m.bytes), 0);

    const routeBytes = cache.get(GROUP, T.route, "routes")!.bytes.byteLength;
    const claBytes = cache.get(GROUP, T.endpoint, clusterName(1))!.bytes.byteLength;
    const summarize = (name: string, rounds: RoundResult[], targetMs: number, bytes: number): Row => {
      const all = rounds.flatMap((r) => r.perStreamMs);
      const p99 = percentile(all, 99);
      return {
        change: name,
        streams: opts.streams,
        rounds: rounds.length,
        "resource bytes": bytes,
        "p50 ms": percentile(all, 50),
        "p99 ms": p99,
        "last ACK p50 ms": percentile(rounds.map((r) => r.lastAckMs), 50),
        "last ACK max ms": Math.max(...rounds.map((r) => r.lastAckMs)),
        "server last write p50 ms": percentile(rounds.map((r) => r.lastWriteMs), 50),
        // CPU time does not stretch when the machine is busy, unlike the wall-clock columns.
        "server CPU ms/round": percentile(rounds.map((r) => r.serverCpuMs), 50),
        "server CPU µs/stream": Math.round((1000 * percentile(rounds.map((r) => r.serverCpuMs), 50)) / opts.streams),
        "target p99 ms": targetMs,
        met: p99 < targetMs ? "yes" : "NO",
      };
    };
    const rows = [
      summarize("route (RouteConfiguration)", routeRounds, 1000, routeBytes),
      summarize("endpoint (1 ClusterLoadAssignment)", endpointRounds, 200, claBytes),
    ];
    printTable(`ADS load: ${opts.streams} Delta streams, one Gateway (${opts.clusters} clusters × ${opts.endpoints} endpoints), update → ACK per stream`, rows);
    const memRows: Row[] = [
      {
        measure: "per stream",
        "heap bytes": Math.round((after.heapUsed - before.heapUsed) / streams),
        "rss bytes": Math.round((after.rss - before.rss) / streams),
        "external bytes": Math.round((after.external - before.external) / streams),
      },
      { measure: `total (${streams} streams)`, "heap bytes": after.heapUsed - before.heapUsed, "rss bytes": after.rss - before.rss, "external bytes": after.external - before.external },
    ];
    printTable("Server memory (after GC, streams connected and configured)", memRows);
    // The latencies are wall-clock times on a shared machine: say how busy it was.
    const machine = { cores: cpus().length, "load avg 1m": Math.round(loadavg()[0] * 10) / 10 };
    printTable("Connect", [{ streams, "client processes": opts.clientProcs, "all configured ms": connectMs, "client bytes received": closedBytes, ...machine }]);
    writeResults("ads-load", { options: opts, machine, latency: rows, memory: memRows, connectMs, rounds: { route: routeRounds.map((r) => r.lastAckMs), endpoint: endpointRounds.map((r) => r.lastAckMs) } });
  } finally {
    for (const c of children) c.kill();
    await transport.shutdown(1_000);
  }
}

if (process.env.ADS_LOAD_CLIENTS === "1") {
  runClients().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
