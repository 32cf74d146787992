// What checking a Gateway's xDS resources before publishing costs (issue #3 item 2: Envoy's
// rule violations in status). For 1 to 10,000 HTTPRoutes on one Gateway (translate-bench's
// fixture, 1% of routes given a redirect path Envoy rejects): translate(), then
// buildGatewayResources + validateGatewayResources (what `gatehouse translate --output
// status` and the translator add per translated Gateway), then applyXdsFailures. The first
// check of the process also loads the Envoy protos: reported on its own.
import { applyXdsFailures, resourceSetFrom, translate, type KubeObject } from "@gatehouse/gatewayapi";
import { buildGatewayResources, envoyProtos, validateGatewayResources } from "@gatehouse/xds";
import { percentile, printTable, writeResults, type Row } from "./report";
import { fixture } from "./translate-bench";

const SIZES = [1, 100, 1_000, 10_000];
const RUNS = 5;
const CONTROLLER = "gatehouse.dev/gateway-controller";

export async function run(argv: string[]): Promise<void> {
  const sizes = argv.length > 0 ? argv.map(Number).filter((n) => n > 0) : SIZES;
  let started = performance.now();
  envoyProtos();
  const protoLoadMs = performance.now() - started;
  const rows: Row[] = [];
  const results: unknown[] = [];
  for (const n of sizes) {
    const objects = fixture(n) as KubeObject[];
    // Every 100th route: a redirect path with a line feed (Gateway API allows it, Envoy does not).
    let broken = 0;
    for (const o of objects) {
      const name = o.metadata?.name ?? "";
      if (o.kind !== "HTTPRoute" || Number(name.slice("route-".length)) % 100 !== 50) continue;
      const rules = (o.spec as { rules: Record<string, unknown>[] }).rules;
      rules.push({ matches: [{ path: { type: "PathPrefix", value: `/broken-${name}` } }], filters: [{ type: "RequestRedirect", requestRedirect: { path: { type: "ReplaceFullPath", replaceFullPath: "/a\nb" } } }] });
      broken++;
    }
    const translateMs: number[] = [];
    const checkMs: number[] = [];
    const foldMs: number[] = [];
    let failures = 0;
    for (let i = 0; i < RUNS; i++) {
      started = performance.now();
      const result = translate(resourceSetFrom(objects), { controllerName: CONTROLLER, checkEndpoints: false });
      translateMs.push(performance.now() - started);
      started = performance.now();
      const byGateway = new Map<string, ReturnType<typeof validateGatewayResources>["failures"]>();
      for (const ir of result.irs) {
        byGateway.set(`${ir.gateway.namespace}/${ir.gateway.name}`, validateGatewayResources(buildGatewayResources(ir, { ipFamily: "DualStack" })).failures);
      }
      checkMs.push(performance.now() - started);
      failures = [...byGateway.values()].reduce((a, f) => a + f.length, 0);
      started = performance.now();
      applyXdsFailures(result.statuses, byGateway, { controllerName: CONTROLLER, ruleCount: () => undefined });
      foldMs.push(performance.now() - started);
    }
    const row = {
      routes: n,
      "broken rules": broken,
      failures,
      "translate p50 ms": round(percentile(translateMs, 50)),
      "xds check p50 ms": round(percentile(checkMs, 50)),
      "xds check first ms": round(checkMs[0]!),
      "fold p50 ms": round(percentile(foldMs, 50)),
      "added %": Math.round((100 * (percentile(checkMs, 50) + percentile(foldMs, 50))) / percentile(translateMs, 50)),
    };
    rows.push(row);
    results.push(row);
  }
  printTable(`xDS check before publishing status, ${RUNS} runs each (Envoy proto load once: ${round(protoLoadMs)} ms)`, rows);
  writeResults("xds-status", { protoLoadMs, rows: results });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
