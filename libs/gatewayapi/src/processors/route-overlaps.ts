// RouteRulesOverlap: a warning on HTTPRoutes and GRPCRoutes whose matches are identical to
// another route's on the same listener and hostname, so the operator learns that only the
// older one receives the traffic. Matches are bucketed by a canonical key: linear, not pairwise.
import { mergedListeners } from "./listener-sets";
import type { HTTPMatch } from "@gatehouse/ir";
import type { ListenerNode, RouteNode, TranslationGraph } from "../graph";

/** Host-independent part of the key, cached per IR match object. */
const keyCache = new WeakMap<HTTPMatch, string>();

function matchKey(m: HTTPMatch): string {
  let key = keyCache.get(m);
  if (key !== undefined) return key;
  let value = m.path.value;
  if (m.path.type === "PathPrefix" && value !== "/" && value.endsWith("/")) value = value.slice(0, -1);
  key = `${m.path.type}\u0000${value}`;
  if (m.headers.length > 0 || m.method) {
    const headers = m.headers.map((h) => `${h.name.toLowerCase()}\u0000${h.type}\u0000${h.value}`);
    if (m.method) headers.push(`:method\u0000Exact\u0000${m.method}`);
    key += `\u0002${headers.sort().join("\u0001")}`;
  }
  if (m.queryParams.length > 0) {
    key += `\u0003${m.queryParams.map((q) => `${q.name}\u0000${q.type}\u0000${q.value}`).sort().join("\u0001")}`;
  }
  keyCache.set(m, key);
  return key;
}

export function processRouteOverlaps(graph: TranslationGraph): void {
  // route -> listener -> names of the routes it overlaps with
  const overlaps = new Map<RouteNode, Map<ListenerNode, Set<string>>>();
  for (const gateway of graph.gateways.values()) {
    for (const listener of mergedListeners(gateway)) {
      if (listener.http.length < 2) continue;
      // Most keys belong to one route: keep the route itself, a Set only once a second one shows up.
      const byHost = new Map<string, Map<string, RouteNode | Set<RouteNode>>>();
      const shared: Set<RouteNode>[] = [];
      for (const att of listener.http) {
        for (const host of att.hosts) {
          let buckets = byHost.get(host);
          if (!buckets) byHost.set(host, (buckets = new Map()));
          for (const b of att.routes) {
            // Preflight routes copy the match of a rule that is already counted.
            if (b.ir.corsPreflight) continue;
            const key = matchKey(b.ir.match);
            const found = buckets.get(key);
            if (found === undefined) buckets.set(key, att.route);
            else if (found instanceof Set) found.add(att.route);
            else if (found !== att.route) {
              const set = new Set([found, att.route]);
              buckets.set(key, set);
              shared.push(set);
            }
          }
        }
      }
      for (const routes of shared) {
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
