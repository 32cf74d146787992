// TLSRoute, TCPRoute and UDPRoute processors. TLSRoutes are picked by SNI, so every
// TLSRoute gets its own filter chain; a TCP or UDP listener forwards to one route only (the
// oldest), while every route that attaches is still Accepted and counted, as the spec's
// conformance tests ask.
import type { WeightedClusters } from "@gatehouse/ir";
import { ProblemCollector } from "../conditions";
import { asArray, spec, type L4RouteRule, type RouteSpec } from "../kube-types";
import type { ParentNode, RouteKind, RouteNode, TranslationGraph } from "../graph";
import { resolveBackend } from "../backends";
import { computeHosts } from "../hostnames";
import { attachRoute, sortedRoutes } from "../parent-refs";
import { crdViolations, violationMessage } from "../crd-violations";
import { isClean } from "../route-rules";

export function processTLSRoutes(graph: TranslationGraph): void {
  for (const obj of sortedRoutes(graph.resources.tlsRoutes)) {
    const route = attachRoute(graph, obj, "TLSRoute");
    if (!route) continue;
    graph.routes.push(route);
    const rules = asArray(spec<{ rules?: L4RouteRule[] }>(obj).rules);
    const hostnames = asArray(spec<RouteSpec>(obj).hostnames);
    for (const parent of route.parents) {
      const destination = resolveDestination(graph, route, parent, rules);
      if (parent.listeners.length === 0 || rejectInvalid(route, parent)) continue;
      let intersects = false;
      for (const l of parent.listeners) {
        const hosts = computeHosts(hostnames, l.hostname);
        if (hosts.length === 0) continue;
        intersects = true;
        l.attachedRoutes++;
        if (l.ready && l.gateway.accepted) l.tcp.push({ route, hosts, destination });
      }
      if (!intersects) {
        parent.conditions.set(
          "Accepted",
          "False",
          "NoMatchingListenerHostname",
          "There were no hostname intersections between the TLSRoute and this parent ref's Listener(s)",
        );
      }
    }
  }
}

export function processTCPRoutes(graph: TranslationGraph): void {
  processSingleRuleRoutes(graph, "TCPRoute", graph.resources.tcpRoutes);
}

export function processUDPRoutes(graph: TranslationGraph): void {
  processSingleRuleRoutes(graph, "UDPRoute", graph.resources.udpRoutes);
}

function processSingleRuleRoutes(graph: TranslationGraph, kind: RouteKind, index: TranslationGraph["resources"]["tcpRoutes"]): void {
  for (const obj of sortedRoutes(index)) {
    const route = attachRoute(graph, obj, kind);
    if (!route) continue;
    graph.routes.push(route);
    const rules = asArray(spec<{ rules?: L4RouteRule[] }>(obj).rules);
    for (const parent of route.parents) {
      if (rules.length !== 1) {
        parent.conditions.set("Accepted", "False", "InvalidRule", "One and only one rule is supported");
        continue;
      }
      const destination = resolveDestination(graph, route, parent, rules);
      if (parent.conditions.has("Accepted", "False") || rejectInvalid(route, parent)) continue;
      for (const l of parent.listeners) {
        l.attachedRoutes++;
        if (!l.ready || !l.gateway.accepted) continue;
        if (kind === "UDPRoute") {
          if (l.udp.length === 0) l.udp.push({ route, hosts: [], destination });
        } else if (l.protocol === "TCP") {
          if (l.tcp.length === 0) l.tcp.push({ route, hosts: [], destination });
        } else if (!l.tcp.some((a) => a.route.kind === "TCPRoute")) {
          // A TCPRoute on a terminating TLS listener serves the listener's hostname.
          l.tcp.push({ route, hosts: [l.hostname ?? "*"], destination });
        }
      }
    }
  }
}

/** Rejects a route the CRDs would refuse, when translation found nothing else wrong with it. */
function rejectInvalid(route: RouteNode, parent: ParentNode): boolean {
  const v = crdViolations(route.obj);
  if (!v || !isClean(parent)) return false;
  parent.conditions.set("Accepted", "False", "UnsupportedValue", violationMessage(v));
  return true;
}

/** All rules' backends pooled into one destination (L4 rules have no matches); sets ResolvedRefs. */
function resolveDestination(graph: TranslationGraph, route: RouteNode, parent: ParentNode, rules: L4RouteRule[]): WeightedClusters | undefined {
  const problems = new ProblemCollector();
  const destination: WeightedClusters = { clusters: [], invalidWeight: 0 };
  for (const rule of rules) {
    for (const ref of asArray(rule.backendRefs)) {
      const res = resolveBackend(graph, route, ref, { ancestor: parent.ref });
      if (res.problem) {
        problems.add(res.problem);
        destination.invalidWeight += res.weight;
        continue;
      }
      // L4 routes have no BackendsAvailable condition in Envoy Gateway's reading: a Service
      // without endpoints is an unresolved reference. The cluster stays, so endpoints that
      // arrive later are used without a retranslation.
      if (res.unavailable) problems.add({ ...res.unavailable, type: "ResolvedRefs" });
      if (res.weight > 0) destination.clusters.push({ cluster: res.cluster!, weight: res.weight });
    }
  }
  const resolved = problems.all().find((p) => p.type === "ResolvedRefs");
  if (resolved) parent.conditions.set("ResolvedRefs", "False", resolved.reason, resolved.message);
  else parent.conditions.set("ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route");
  return destination.clusters.length > 0 ? destination : undefined;
}
