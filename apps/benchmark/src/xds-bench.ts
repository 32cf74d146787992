// IR to validated, encoded xDS resources: a Gateway whose IR holds N routes (default
// 10,000) goes through the builders, strict proto3 JSON conversion, PGV validation and
// encoding. Each phase is timed on its own so the table shows what dominates; the
// end-to-end row is what the xds-server pays per retranslation (target: under 1.5 s).
import { performance } from "node:perf_hooks";
import type { GatewayIR, HTTPRoute, VirtualHost, Cluster } from "@gatehouse/ir";
import { gatewayIR } from "@gatehouse/testing";
import {
  allResources,
  buildGatewayResources,
  envoyProtoLoadMs,
  envoyProtos,
  fromJSON,
  messageType,
  resourceVersion,
  validateGatewayResources,
  validateMessage,
} from "@gatehouse/xds";
import { percentile, printTable, writeResults, type Row } from "./report";
import { positiveNumberOptions } from "./options";

const ROUTES_PER_HOST = 100;
const SERVICES = 200;

/** A route using a realistic mix of HTTPRoute features. */
function route(i: number): HTTPRoute {
  const cluster = (n: number) => `ns-${n % 20}/svc-${n % SERVICES}/8080`;
  const r: HTTPRoute = {
    name: `httproute/ns-${i % 20}/route-${Math.floor(i / 10)}/rule/${i % 10}/match/0`,
    source: { kind: "HTTPRoute", namespace: `ns-${i % 20}`, name: `route-${Math.floor(i / 10)}`, ruleIndex: i % 10, matchIndex: 0 },
    match: {
      path:
        i % 10 === 0
          ? { type: "RegularExpression", value: `/api/v${i}/[a-z]+/(\\d+)` }
          : i % 3 === 0
            ? { type: "Exact", value: `/exact/${i}` }
            : { type: "PathPrefix", value: `/svc/${i}` },
      headers: i % 4 === 0 ? [{ name: "X-Tenant", type: "Exact", value: `t-${i}` }] : [],
      queryParams: i % 7 === 0 ? [{ name: "debug", type: "RegularExpression", value: "^(1|true)$" }] : [],
      method: i % 9 === 0 ? "POST" : undefined,
    },
    requestHeaders: { set: [{ name: "x-gateway-route", value: `route-${i}` }], add: [], remove: ["x-internal"] },
  };
  if (i % 25 === 0) {
    r.redirect = { scheme: "https", statusCode: 302 };
    return r;
  }
  r.destination =
    i % 5 === 0
      ? { clusters: [{ cluster: cluster(i), weight: 90 }, { cluster: cluster(i + 1), weight: 10 }], invalidWeight: i % 15 === 0 ? 5 : 0 }
      : { clusters: [{ cluster: cluster(i), weight: 1 }], invalidWeight: 0 };
  if (i % 2 === 0) r.retry = { codes: [503], attempts: 2, backoffMs: 100 };
  if (i % 3 === 0) r.timeouts = { requestMs: 15_000, backendRequestMs: 5_000 };
  if (i % 6 === 0 && r.match.path.type === "PathPrefix") r.urlRewrite = { path: { type: "ReplacePrefixMatch", value: "/" } };
  if (i % 20 === 0) r.cors = { allowOrigins: ["https://*.example.com"], allowMethods: ["GET"], allowHeaders: [], exposeHeaders: [] };
  if (i % 50 === 0) r.mirrors = [{ cluster: cluster(i + 2), percent: 10 }];
  if (i % 11 === 0) r.websocket = true;
  return r;
}

export function syntheticIR(routes: number): GatewayIR {
  const virtualHosts: VirtualHost[] = [];
  for (let start = 0; start < routes; start += ROUTES_PER_HOST) {
    const h = start / ROUTES_PER_HOST;
    const hostRoutes: HTTPRoute[] = [];
    for (let i = start; i < Math.min(routes, start + ROUTES_PER_HOST); i++) hostRoutes.push(route(i));
    virtualHosts.push({ name: `host-${h}.example.com`, domains: [`host-${h}.example.com`], routes: hostRoutes });
  }
  const clusters: Cluster[] = [];
  for (let n = 0; n < SERVICES; n++) {
    clusters.push({
      name: `ns-${n % 20}/svc-${n}/8080`,
      service: { namespace: `ns-${n % 20}`, name: `svc-${n}`, port: 8080, portName: "http" },
      protocol: n % 10 === 0 ? "http2" : "http1",
      connectTimeoutMs: 10_000,
    });
  }
  clusters.sort((a, b) => (a.name < b.name ? -1 : 1));
  return gatewayIR({
    gateway: { namespace: "bench", name: "gw" },
    listeners: [
      {
        name: "http-80",
        port: 80,
        containerPort: 10080,
        transport: "tcp",
        filterChains: [
          { kind: "http", name: "bench/gw/http", sources: ["bench/gw/http"], serverNames: [], routeConfigName: "http-80", virtualHosts },
        ],
      },
    ],
    clusters,
  });
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function run(argv: string[]): Promise<void> {
  const opts = positiveNumberOptions(argv, { routes: 10_000, iterations: 5 });
  envoyProtos();
  const loadMs = envoyProtoLoadMs();
  const ir = syntheticIR(opts.routes);

  // Warm-up: JIT and the validator's per-type plans, so rows compare steady-state work.
  validateGatewayResources(buildGatewayResources(syntheticIR(200), { ipFamily: "DualStack" }));

  const samples: Record<string, number[]> = { build: [], convert: [], validate: [], encode: [], endToEnd: [] };
  let heapPeak = 0;
  let rssPeak = 0;
  let resourceCount = 0;
  let bytes = 0;
  for (let it = 0; it < opts.iterations; it++) {
    // Phases one by one.
    let t = performance.now();
    const resources = buildGatewayResources(ir, { ipFamily: "DualStack" });
    samples.build.push(performance.now() - t);
    const list = allResources(resources);
    t = performance.now();
    const messages = list.map((r) => fromJSON(r.typeUrl, r.json));
    samples.convert.push(performance.now() - t);
    t = performance.now();
    let issues = 0;
    for (let i = 0; i < list.length; i++) issues += validateMessage(messageType(list[i].typeUrl), messages[i]).length;
    samples.validate.push(performance.now() - t);
    if (issues > 0) throw new Error(`synthetic IR produced ${issues} validation issues`);
    t = performance.now();
    bytes = 0;
    for (let i = 0; i < list.length; i++) {
      const encoded = messageType(list[i].typeUrl).encode(messages[i]).finish();
      resourceVersion(encoded);
      bytes += encoded.length;
    }
    samples.encode.push(performance.now() - t);

    // What the xds-server calls: build, then the gate (convert + validate + encode + hash).
    const heapBefore = process.memoryUsage().heapUsed;
    t = performance.now();
    const checked = validateGatewayResources(buildGatewayResources(ir, { ipFamily: "DualStack" }));
    samples.endToEnd.push(performance.now() - t);
    const mem = process.memoryUsage();
    heapPeak = Math.max(heapPeak, mem.heapUsed - heapBefore);
    rssPeak = Math.max(rssPeak, mem.rss);
    resourceCount = checked.encoded.length;
    if (checked.failures.length > 0) throw new Error(`synthetic IR failed validation: ${checked.failures[0].issues[0]?.message}`);
  }

  const row = (phase: string, values: number[]): Row => ({
    phase,
    "p50 ms": percentile(values, 50),
    "max ms": Math.max(...values),
    "share %": Math.round((percentile(values, 50) / percentile(samples.endToEnd, 50)) * 100),
  });
  const rows: Row[] = [
    row("build (IR -> proto3 JSON)", samples.build),
    row("convert (JSON -> message)", samples.convert),
    row("validate (PGV + RE2)", samples.validate),
    row("encode (+ sha256 version)", samples.encode),
    row("end to end", samples.endToEnd),
  ];
  printTable(`xds: ${opts.routes} routes, ${resourceCount} resources, ${mb(bytes)} MiB encoded, ${opts.iterations} iterations`, rows);
  printTable("memory and setup", [
    { what: "Envoy proto load (once per process) ms", value: Math.round(loadMs) },
    { what: "heap growth during one end-to-end run MiB", value: mb(heapPeak) },
    { what: "peak RSS MiB", value: mb(rssPeak) },
  ]);
  writeResults("xds", {
    routes: opts.routes,
    iterations: opts.iterations,
    resources: resourceCount,
    encodedBytes: bytes,
    protoLoadMs: loadMs,
    phasesMs: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { p50: percentile(v, 50), max: Math.max(...v) }])),
    heapGrowthBytes: heapPeak,
    peakRssBytes: rssPeak,
  });
}
