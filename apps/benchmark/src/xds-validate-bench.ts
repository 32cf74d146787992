// The validation gate alone: a RouteConfiguration with N routes (default 10,000) in the
// proto3 JSON the builders produce, through strict conversion, PGV validation and
// encoding, each phase timed on its own so the table shows what dominates. The whole
// pipeline with the IR builders is measured by the xDS build benchmark; this part should
// stay well under a second for 10,000 routes.
import { performance } from "node:perf_hooks";
import {
  TYPE_URLS,
  encodeResource,
  envoyProtoLoadMs,
  envoyProtos,
  fromJSON,
  messageType,
  resourceVersion,
  validateMessage,
} from "@gatehouse/xds";
import { printTable, writeResults, type Row } from "./report";
import { positiveNumberOptions } from "./options";

const ROUTES_PER_HOST = 100;

/** One route in the shape the builders produce; a mix of the features HTTPRoutes use. */
function route(i: number): Record<string, unknown> {
  const backend = (n: number) => `ns-${i % 50}/svc-${n}/8080`;
  const match: Record<string, unknown> =
    i % 10 === 0
      ? { safe_regex: { regex: `/api/v${i}/[a-z]+/(\\d+)` } }
      : i % 3 === 0
        ? { path: `/exact/${i}` }
        : { path_separated_prefix: `/svc/${i}` };
  if (i % 4 === 0) match.headers = [{ name: "x-tenant", string_match: { exact: `t-${i}` } }];
  if (i % 7 === 0) match.query_parameters = [{ name: "debug", present_match: true }];
  const r: Record<string, unknown> = {
    name: `ns-${i % 50}/route-${i}/rule/0/match/0`,
    match,
    request_headers_to_add: [
      { header: { key: "x-gateway-route", value: `route-${i}` }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
    ],
    request_headers_to_remove: ["x-internal"],
  };
  if (i % 25 === 0) {
    r.redirect = { https_redirect: true, response_code: "FOUND" };
    return r;
  }
  r.route = {
    ...(i % 5 === 0
      ? {
          weighted_clusters: {
            clusters: [
              { name: backend(1), weight: 90 },
              { name: backend(2), weight: 10 },
            ],
          },
        }
      : { cluster: backend(1) }),
    timeout: "15s",
    idle_timeout: "3600s",
    ...(i % 2 === 0 ? { retry_policy: { retry_on: "5xx,reset", num_retries: 2, per_try_timeout: "0.500s" } } : {}),
    ...(i % 6 === 0 ? { prefix_rewrite: "/" } : {}),
    upgrade_configs: [{ upgrade_type: "websocket" }],
  };
  if (i % 20 === 0) {
    r.typed_per_filter_config = {
      "envoy.filters.http.cors": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy",
        allow_origin_string_match: [{ exact: "https://app.example.com" }, { safe_regex: { regex: `https://.*\\.t${i}\\.example` } }],
        allow_methods: "GET,POST",
        max_age: "600",
      },
    };
  }
  return r;
}

export function routeConfiguration(routes: number): Record<string, unknown> {
  const hosts: Array<Record<string, unknown>> = [];
  for (let start = 0; start < routes; start += ROUTES_PER_HOST) {
    const list: unknown[] = [];
    for (let i = start; i < Math.min(routes, start + ROUTES_PER_HOST); i++) list.push(route(i));
    hosts.push({ name: `gw/http/host-${start / ROUTES_PER_HOST}.example.com`, domains: [`host-${start / ROUTES_PER_HOST}.example.com`], routes: list });
  }
  return { name: "default/gw/http-80", virtual_hosts: hosts, validate_clusters: false };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall time and CPU time (this process, all threads) in ms: CPU time is steadier on a shared machine. */
function clock(): { wall: number; cpu: number } {
  const u = process.cpuUsage();
  return { wall: performance.now(), cpu: (u.user + u.system) / 1000 };
}

type Phase = "convert" | "validate" | "encode" | "hash" | "pipeline";
const PHASES: Phase[] = ["convert", "validate", "encode", "hash", "pipeline"];

export async function run(argv: string[]): Promise<void> {
  const opts = positiveNumberOptions(argv, { routes: 10_000, iterations: 5 });
  const t0 = performance.now();
  envoyProtos();
  const loadMs = envoyProtoLoadMs() || performance.now() - t0;
  const typeUrl = TYPE_URLS.route;
  const type = messageType(typeUrl);
  const json = routeConfiguration(opts.routes);
  const jsonText = JSON.stringify(json);
  const regexes = (jsonText.match(/"regex":/g) ?? []).length;

  const wall: Record<Phase, number[]> = { convert: [], validate: [], encode: [], hash: [], pipeline: [] };
  const cpu: Record<Phase, number[]> = { convert: [], validate: [], encode: [], hash: [], pipeline: [] };
  let bytes: Uint8Array = new Uint8Array(0);
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  for (let it = 0; it < opts.iterations; it++) {
    const a = clock();
    const message = fromJSON(typeUrl, json);
    const b = clock();
    const issues = validateMessage(type, message);
    const c = clock();
    bytes = type.encode(message).finish();
    const d = clock();
    resourceVersion(bytes);
    const e = clock();
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    if (issues.length > 0) throw new Error(`benchmark input is invalid: ${JSON.stringify(issues.slice(0, 3))}`);
    // The same work through the public entry point, as the builders call it.
    const f = clock();
    encodeResource(typeUrl, json);
    const g = clock();
    const spans: Record<Phase, [typeof a, typeof a]> = { convert: [a, b], validate: [b, c], encode: [c, d], hash: [d, e], pipeline: [f, g] };
    for (const p of PHASES) {
      wall[p].push(spans[p][1].wall - spans[p][0].wall);
      cpu[p].push(spans[p][1].cpu - spans[p][0].cpu);
    }
  }
  const later = (v: number[]) => median(v.slice(opts.iterations > 1 ? 1 : 0));
  const row = (label: string, pick: (v: number[]) => number, src: Record<Phase, number[]>): Row => ({
    run: label,
    ...Object.fromEntries(PHASES.map((p) => [p, pick(src[p])])),
  });
  const rows: Row[] = [
    row("first run, wall (RE2 compiles, plans, JIT)", (v) => v[0], wall),
    row("first run, cpu", (v) => v[0], cpu),
    row("median of later runs, wall", later, wall),
    row("median of later runs, cpu", later, cpu),
  ];
  printTable(`xds-validate: RouteConfiguration with ${opts.routes} routes, ms (proto load ${loadMs.toFixed(0)} ms)`, rows);
  const warm = Object.fromEntries(PHASES.map((p) => [p, later(cpu[p])])) as Record<Phase, number>;
  const total = warm.convert + warm.validate + warm.encode + warm.hash;
  const shares: Row[] = (["convert", "validate", "encode", "hash"] as const).map((k) => ({
    phase: k,
    cpu_ms: warm[k],
    share: `${((warm[k] / total) * 100).toFixed(0)}%`,
    "us/route": (warm[k] * 1000) / opts.routes,
  }));
  printTable("what dominates (CPU time, median of later runs)", shares);
  printTable("sizes", [
    {
      routes: opts.routes,
      unique_regexes: regexes,
      input_json_bytes: Buffer.byteLength(jsonText),
      encoded_bytes: bytes.length,
      heap_growth_mb: (heapPeak - heapBefore) / 1e6,
    },
  ]);
  writeResults("xds-validate", {
    options: opts,
    protoLoadMs: loadMs,
    wallMs: wall,
    cpuMs: cpu,
    warmCpuMs: warm,
    uniqueRegexes: regexes,
    jsonBytes: Buffer.byteLength(jsonText),
    encodedBytes: bytes.length,
  });
}
