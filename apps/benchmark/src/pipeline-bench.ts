// The whole pipeline's latency: a manifest file changes on disk and an xDS client (Delta,
// as Envoy subscribes) holds the new route. Watcher, translator and xds-server run as
// their own processes over a real nats-server, with 1,000 HTTPRoutes loaded on one
// Gateway; each sample rewrites one route's file with a new path prefix and waits for
// the client to hold it. Also reports the initial load (start to all routes at the client).
// Options: --routes=1000 --files=20 --samples=100
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, metricSum, spawnEntryPoint, terminate, waitReady } from "@gatehouse/runtime";
import { baseManifests, httpRouteManifest, startNatsServer, XdsTestClient } from "@gatehouse/testing";
import { messageType, TYPE_URLS } from "@gatehouse/xds";
import { positiveIntegerFlag } from "./options";
import { percentile, printTable, writeResults } from "./report";

const CONTROLLER = DEFAULT_CONTROLLER_NAME;

interface Options {
  routes: number;
  files: number;
  samples: number;
}

function parse(argv: string[]): Options {
  const num = (name: string, fallback: number) => positiveIntegerFlag(argv, name, fallback);
  return { routes: num("routes", 1000), files: num("files", 20), samples: num("samples", 100) };
}

const BASE = baseManifests({ className: "bench", controllerName: CONTROLLER, endpointConditions: { ready: true } });

const route = (i: number, version: number) => httpRouteManifest({ name: `r${i}`, hostnames: [`h${i % 50}.example.com`], pathPrefix: `/r${i}/v${version}` });

/** Writes the file holding route `i` with the given versions of all its routes. */
function writeRouteFile(dir: string, file: number, opts: Options, versions: number[]): void {
  const docs: string[] = [];
  for (let i = file; i < opts.routes; i += opts.files) docs.push(route(i, versions[i]));
  writeFileSync(path.join(dir, `routes-${file}.yaml`), docs.join("---\n"));
}

export async function run(argv: string[]): Promise<void> {
  const opts = parse(argv);
  const nats = await startNatsServer({ forceSpawn: true });
  const work = mkdtempSync(path.join(tmpdir(), "gatehouse-pipeline-bench-"));
  const dir = path.join(work, "manifests");
  mkdirSync(dir);
  const children: ChildProcess[] = [];
  let client: XdsTestClient | undefined;
  try {
    writeFileSync(path.join(dir, "00-base.yaml"), BASE);
    const versions = new Array<number>(opts.routes).fill(0);
    for (let f = 0; f < opts.files; f++) writeRouteFile(dir, f, opts, versions);

    const xdsPort = await freePort();
    const t0 = performance.now();
    const healthPorts: number[] = [];
    for (const [name, args] of [
      ["watcher", ["--dir", dir]],
      ["translator", ["--controller-name", CONTROLLER]],
      ["xds-server", ["--xds-port", String(xdsPort)]],
    ] as const) {
      const healthPort = await freePort();
      healthPorts.push(healthPort);
      children.push(spawnEntryPoint(`apps/${name}/src/main.ts`, ["--nats", nats.url, "--health-port", String(healthPort), ...args], { LOG_LEVEL: "warn" }, process.stderr));
    }
    for (const port of healthPorts) await waitReady(port);
    client = XdsTestClient.connect(`127.0.0.1:${xdsPort}`, { id: "bench-envoy", cluster: "default/eg" }, { protocol: "delta" });
    client.subscribe(TYPE_URLS.cluster);
    client.subscribe(TYPE_URLS.listener);
    client.subscribe(TYPE_URLS.route, ["*"]);
    client.subscribe(TYPE_URLS.endpoint, ["*"]);
    const tracker = new RouteTracker(client);
    await client.waitFor(() => tracker.count() >= opts.routes, 120_000, `${opts.routes} routes`);
    const initialMs = performance.now() - t0;

    const latencies: number[] = [];
    for (let s = 0; s < opts.samples; s++) {
      const i = (s * 37) % opts.routes;
      versions[i]++;
      const want = `/r${i}/v${versions[i]}`;
      const start = performance.now();
      writeRouteFile(dir, i % opts.files, opts, versions);
      await client.waitFor(() => tracker.has(want), 30_000, want);
      latencies.push(performance.now() - start);
    }
    // Where the time goes: means from the services' own histograms over the samples.
    const translatorMetrics = await (await fetch(`http://127.0.0.1:${healthPorts[1]}/metrics`)).text();
    const xdsMetrics = await (await fetch(`http://127.0.0.1:${healthPorts[2]}/metrics`)).text();
    const mean = (text: string, metric: string, labels = "") => {
      const sum = metricSum(text, `${metric}_sum${labels}`);
      const count = metricSum(text, `${metric}_count${labels}`);
      return count > 0 ? (sum / count) * 1000 : NaN;
    };
    const breakdown = {
      "translate ms (mean, 1 gw)": mean(translatorMetrics, "gatehouse_translator_translation_seconds", '{scope="one"}'),
      "IR to cache ms (mean)": mean(xdsMetrics, "gatehouse_xds_ir_apply_seconds"),
    };
    const row = {
      routes: opts.routes,
      samples: latencies.length,
      "p50 ms": percentile(latencies, 50),
      "p99 ms": percentile(latencies, 99),
      "mean ms": latencies.reduce((a, b) => a + b, 0) / latencies.length,
      "min ms": Math.min(...latencies),
      "max ms": Math.max(...latencies),
      "initial load ms": initialMs,
    };
    printTable("manifest change -> xDS client holds the route (watcher + translator + xds-server processes, real NATS)", [row]);
    printTable("inside the services (their histograms)", [breakdown]);
    writeResults("pipeline", { options: opts, ...row, breakdown, latenciesMs: latencies });
  } finally {
    client?.close();
    await Promise.all(children.map((c) => terminate(c, 5_000)));
    await nats.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Route path prefixes the client holds, decoded once per RouteConfiguration version. */
class RouteTracker {
  private readonly decoded = new Map<string, { version: string; paths: Set<string> }>();
  constructor(private readonly client: XdsTestClient) {}

  private refresh(): void {
    const type = messageType(TYPE_URLS.route);
    for (const [name, r] of this.client.of(TYPE_URLS.route)) {
      if (this.decoded.get(name)?.version === r.version) continue;
      const rc = type.toObject(type.decode(r.bytes), { defaults: false }) as {
        virtual_hosts?: { routes?: { match?: { prefix?: string; path_separated_prefix?: string } }[] }[];
      };
      const paths = new Set<string>();
      for (const vh of rc.virtual_hosts ?? []) for (const rt of vh.routes ?? []) paths.add(rt.match?.path_separated_prefix ?? rt.match?.prefix ?? "");
      this.decoded.set(name, { version: r.version, paths });
    }
  }

  count(): number {
    this.refresh();
    let n = 0;
    for (const d of this.decoded.values()) for (const p of d.paths) if (p.startsWith("/r")) n++;
    return n;
  }

  has(p: string): boolean {
    this.refresh();
    for (const d of this.decoded.values()) if (d.paths.has(p)) return true;
    return false;
  }
}
