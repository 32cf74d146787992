// RouteRulesOverlap: a warning on HTTPRoutes and GRPCRoutes whose matches are identical to
// another route's on the same listener and hostname, so the operator learns that only the
// older one receives the traffic. Matches are bucketed by a canonical key: linear, not pairwise.
import type { HTTPMatch } from "@gatehouse/ir";
import type { ListenerNode, RouteNode, TranslationGraph } from "../graph";

function matchKey(host: string, m: HTTPMatch): string {
  let path = `${m.path.type}\u0000${m.path.value}`;
  if (m.path.type === "PathPrefix" && m.path.value !== "/" && m.path.value.endsWith("/")) {
    path = `${m.path.type}\u0000${m.path.value.slice(0, -1)}`;
  }
  const headers = m.headers.map((h) => `${h.name.toLowerCase()}\u0000${h.type}\u0000${h.value}`);
  if (m.method) headers.push(`:method\u0000Exact\u0000${m.method}`);
  headers.sort();
  const query = m.queryParams.map((q) => `${q.name}\u0000${q.type}\u0000${q.value}`).sort();
  return [host, path, headers.join("\u0001"), query.join("\u0001")].join("\u0002");
}

export function processRouteOverlaps(graph: TranslationGraph): void {
  // route -> listener -> names of the routes it overlaps with
  const overlaps = new Map<RouteNode, Map<ListenerNode, Set<string>>>();
  for (const gateway of graph.gateways.values()) {
    for (const listener of gateway.listeners) {
      if (listener.http.length < 2) continue;
      const buckets = new Map<string, Set<RouteNode>>();
      for (const att of listener.http) {
        for (const host of att.hosts) {
          for (const b of att.routes) {
            const key = matchKey(host, b.ir.match);
            let set = buckets.get(key);
            if (!set) buckets.set(key, (set = new Set()));
            set.add(att.route);
          }
        }
      }
      for (const routes of buckets.values()) {
        if (routes.size < 2) continue;
        for (const r of routes) {
          let perListener = overlaps.get(r);
          if (!perListener) overlaps.set(r, (perListener = new Map()));
          let names = perListener.get(listener);
          if (!names) perListener.set(listener, (names = new Set()));
          for (const other of routes) if (other !== r) names.add(`${other.kind} ${other.namespace}/${other.name}`);
        }
      }
    }
  }
  for (const [route, perListener] of overlaps) {
    for (const parent of route.parents) {
      const names = new Set<string>();
      for (const l of parent.listeners) for (const n of perListener.get(l) ?? []) names.add(n);
      if (names.size === 0) continue;
      parent.conditions.set(
        "RouteRulesOverlap",
        "True",
        "RouteRulesOverlap",
        `Overlapping match conditions with route(s): ${[...names].sort().join(", ")}`,
      );
    }
  }
}
