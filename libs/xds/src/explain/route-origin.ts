// The Gateway API object behind an Envoy route. Gatehouse names every route after the
// (rule, match) pair it was built from: "httproute/<ns>/<name>/rule/<i>/match/<j>" (and
// grpcroute/...), with "/cors-preflight" for the preflight route of that match; Kubernetes
// names hold no "/", so the name parses back unambiguously.
import type { RouteOrigin } from "./types";

const KINDS: Record<string, string> = { httproute: "HTTPRoute", grpcroute: "GRPCRoute" };

export function routeOrigin(envoyRouteName: string): RouteOrigin | undefined {
  const m = /^([a-z]+)\/([^/]+)\/([^/]+)\/rule\/(\d+)\/match\/(\d+)(?:\/cors-preflight)?$/.exec(envoyRouteName);
  if (!m || !KINDS[m[1]]) return undefined;
  return { kind: KINDS[m[1]], namespace: m[2], name: m[3], rule: Number(m[4]), match: Number(m[5]) };
}

/** "HTTPRoute default/web, rule 0, match 1". */
export function describeOrigin(o: RouteOrigin): string {
  const where = [o.rule !== undefined ? `rule ${o.rule}` : "", o.match !== undefined ? `match ${o.match}` : ""].filter(Boolean).join(", ");
  return `${o.kind} ${o.namespace}/${o.name}${where ? `, ${where}` : ""}`;
}
