// Shared by the HTTPRoute and GRPCRoute processors: turning a rule's backendRefs into a
// weighted destination, rule problems into parent conditions (GEP-1364: Accepted=False only
// when every rule is dropped, PartiallyInvalid otherwise), and attaching the built routes to
// the listeners whose hostnames intersect.
import type { Mirror, PathModifier, WeightedCluster, WeightedClusters } from "@gatehouse/ir";
import { parseDuration as parseGatewayDuration } from "@gatehouse/validation";
import { backendFilters, needsRoute, type BackendFilterOutcome } from "./backend-filters";
import { ProblemCollector, type RouteProblem } from "./conditions";
import { asArray, spec, type BackendRef, type RouteSpec } from "./kube-types";
import type { BuiltHTTPRoute, ParentNode, RouteNode, TranslationGraph } from "./graph";
import { resolveBackend, type BackendResult } from "./backends";
import { computeHosts } from "./hostnames";
import { crdViolations, violationMessage } from "./crd-violations";

export interface RuleDestination {
  destination: WeightedClusters;
  websocket: boolean;
  /** Backends were listed but none can take traffic: the rule answers 500. */
  allInvalid: boolean;
  /** Route-level settings that came from the only backend's own filters (see backend-filters.ts). */
  fromBackend?: { pathRewrite?: PathModifier; mirrors: Mirror[] };
}

export function ruleDestination(
  graph: TranslationGraph,
  route: RouteNode,
  parent: ParentNode,
  backendRefs: BackendRef[] | undefined,
  problems: ProblemCollector,
): RuleDestination {
  const destination: WeightedClusters = { clusters: [], invalidWeight: 0 };
  const needingRoute: { cluster: WeightedCluster; filters: BackendFilterOutcome }[] = [];
  let websocket = false;
  for (const ref of asArray(backendRefs)) {
    const filters = backendFilters(graph, route, ref.filters, parent.ref);
    const res: BackendResult = filters.invalid ? { weight: ref.weight ?? 1, websocket: false, problem: filters.invalid } : resolveBackend(graph, route, ref, { ancestor: parent.ref });
    if (res.problem) {
      problems.add(res.problem);
      destination.invalidWeight += res.weight;
      continue;
    }
    for (const p of filters.problems) problems.add(p);
    if (res.unavailable) problems.add(res.unavailable);
    if (res.weight <= 0) continue;
    websocket ||= res.websocket;
    const cluster: WeightedCluster = {
      cluster: res.cluster!,
      weight: res.weight,
      ...(filters.requestHeaders ? { requestHeaders: filters.requestHeaders } : {}),
      ...(filters.responseHeaders ? { responseHeaders: filters.responseHeaders } : {}),
      ...(filters.hostRewrite !== undefined ? { hostRewrite: filters.hostRewrite } : {}),
    };
    destination.clusters.push(cluster);
    if (needsRoute(filters)) needingRoute.push({ cluster, filters });
  }
  let fromBackend: RuleDestination["fromBackend"];
  if (needingRoute.length > 0 && destination.clusters.length === 1 && destination.invalidWeight === 0) {
    // The only backend: every request goes to it, so its path rewrite and mirrors are the route's.
    const { filters } = needingRoute[0];
    fromBackend = { ...(filters.pathRewrite ? { pathRewrite: filters.pathRewrite } : {}), mirrors: filters.mirrors };
  } else {
    for (const { cluster } of needingRoute) {
      destination.clusters.splice(destination.clusters.indexOf(cluster), 1);
      destination.invalidWeight += cluster.weight;
      problems.add({
        type: "ResolvedRefs",
        reason: "UnsupportedRefValue",
        message:
          "A URLRewrite path or RequestMirror filter on a backendRef needs that backend to be the rule's only one: Envoy rewrites paths and mirrors per route, not per weighted cluster",
      });
    }
  }
  return { destination, websocket, allInvalid: destination.clusters.length === 0, ...(fromBackend ? { fromBackend } : {}) };
}

/** Writes the rule problems of one parentRef onto its conditions. */
export function applyRuleProblems(parent: ParentNode, problems: RouteProblem[], unacceptedRules: number[], ruleCount: number): void {
  for (const p of problems) {
    if (p.type === "Accepted") {
      if (unacceptedRules.length >= ruleCount) {
        parent.conditions.set("Accepted", "False", p.reason, p.message);
      } else {
        parent.conditions.set("PartiallyInvalid", "True", p.reason, `Dropped Rule(s) [${unacceptedRules.join(" ")}]: ${p.message}`);
      }
    } else {
      parent.conditions.set(p.type, "False", p.reason, p.message);
    }
  }
  parent.conditions.setDefault("ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route");
}

/** True when translation put no negative condition on this parent. */
export function isClean(parent: ParentNode): boolean {
  for (const c of parent.conditions.toArray()) {
    if (c.status === "False" || c.type === "PartiallyInvalid") return false;
  }
  return true;
}

/**
 * Applies CRD violations to a parent translation found clean: rule-scoped ones drop their
 * rules (PartiallyInvalid), anything else, or every rule, rejects the route for the parent.
 * Returns the rule indexes to drop, or "all" when nothing may be programmed.
 */
export function applyCRDViolations(route: RouteNode, parent: ParentNode, ruleCount: number): Set<number> | "all" | undefined {
  const v = crdViolations(route.obj);
  if (!v || !isClean(parent)) return undefined;
  if (v.object.length > 0 || ruleCount === 0 || v.rules.size >= ruleCount) {
    parent.conditions.set("Accepted", "False", "UnsupportedValue", violationMessage(v));
    return "all";
  }
  const dropped = [...v.rules.keys()].sort((a, b) => a - b);
  parent.conditions.set(
    "PartiallyInvalid",
    "True",
    "UnsupportedValue",
    `Dropped Rule(s) [${dropped.join(" ")}]: ${violationMessage(v)}`,
  );
  return new Set(dropped);
}

/**
 * Counts the route on every listener of the parent whose hostnames intersect the route's and
 * hands the built routes to the ready ones. Returns false when no hostname intersects.
 */
export function attachHTTPRoutes(route: RouteNode, parent: ParentNode, built: BuiltHTTPRoute[], program: boolean): boolean {
  if (parent.listeners.length === 0) return true;
  const routeHosts = asArray(spec<RouteSpec>(route.obj).hostnames);
  let intersects = false;
  for (const l of parent.listeners) {
    const hosts = computeHosts(routeHosts, l.hostname);
    if (hosts.length === 0) continue;
    intersects = true;
    l.attachedRoutes++;
    if (program && l.ready && l.gateway.accepted && built.length > 0) l.http.push({ route, hosts, routes: built });
  }
  return intersects;
}

/** Gateway API duration ("1h", "500ms", "1m30s") in milliseconds, or undefined when absent or malformed (libs/validation parses it). */
export function parseDuration(d: string | undefined): number | undefined {
  if (d === undefined) return undefined;
  const ms = parseGatewayDuration(d);
  return Number.isNaN(ms) ? undefined : ms;
}
