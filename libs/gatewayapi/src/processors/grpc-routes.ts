// GRPCRoute processor: service and method matches become HTTP/2 path matches
// ("/<service>/<method>"), header matches stay header matches; the rest is shared with
// HTTPRoute. Backends speak HTTP/2.
import type { HTTPMatch, HTTPRoute as IRRoute } from "@gatehouse/ir";
import { re2Error } from "@gatehouse/validation";
import { ProblemCollector } from "../conditions";
import { asArray, spec, type GRPCRouteMatch, type GRPCRouteRule } from "../kube-types";
import type { BuiltHTTPRoute, ParentNode, RouteNode, TranslationGraph } from "../graph";
import { processFilters } from "../filters";
import { attachRoute, sortedRoutes } from "../parent-refs";
import { applyCRDViolations, applyRuleProblems, attachHTTPRoutes, ruleDestination } from "../route-rules";
import { precedenceOf } from "./http-routes";

const SERVICE_PATTERN = "[A-Za-z_][A-Za-z_0-9]*(\\.[A-Za-z_][A-Za-z_0-9]*)*";
const METHOD_PATTERN = "[A-Za-z_][A-Za-z_0-9]*";

export function processGRPCRoutes(graph: TranslationGraph): void {
  for (const obj of sortedRoutes(graph.resources.grpcRoutes)) {
    const route = attachRoute(graph, obj, "GRPCRoute");
    if (!route) continue;
    graph.routes.push(route);
    const rules = asArray(spec<{ rules?: GRPCRouteRule[] }>(obj).rules);
    for (const parent of route.parents) {
      const problems = new ProblemCollector();
      const unaccepted: number[] = [];
      const built: BuiltHTTPRoute[] = [];
      rules.forEach((rule, ruleIndex) => {
        if (!buildRule(graph, route, parent, rule, ruleIndex, problems, built)) unaccepted.push(ruleIndex);
      });
      applyRuleProblems(parent, problems.all(), unaccepted, rules.length);
      const invalid = applyCRDViolations(route, parent, rules.length);
      const programmed = invalid === undefined ? built : invalid === "all" ? [] : built.filter((b) => !invalid.has(b.ir.source.ruleIndex ?? -1));
      // Unlike HTTPRoute, a rejected GRPCRoute is not counted on the listeners.
      if (parent.conditions.has("Accepted", "False")) continue;
      if (!attachHTTPRoutes(route, parent, programmed, true)) {
        parent.conditions.set(
          "Accepted",
          "False",
          "NoMatchingListenerHostname",
          "There were no hostname intersections between the GRPCRoute and this parent ref's Listener(s)",
        );
      }
    }
  }
}

function buildRule(
  graph: TranslationGraph,
  route: RouteNode,
  parent: ParentNode,
  rule: GRPCRouteRule,
  ruleIndex: number,
  problems: ProblemCollector,
  out: BuiltHTTPRoute[],
): boolean {
  const filters = processFilters(graph, route, rule.filters, parent.ref);
  for (const p of filters.problems) problems.add(p);
  const dropped = filters.problems.some((p) => p.type === "Accepted");
  const matches = asArray(rule.matches).length > 0 ? rule.matches! : [{}];
  const irMatches: HTTPMatch[] = [];
  for (const m of matches) {
    const res = toMatch(m);
    if (typeof res === "string") {
      problems.add({ type: "Accepted", reason: "UnsupportedValue", message: `Rule ${ruleIndex}: ${res}` });
      return false;
    }
    irMatches.push(res);
  }
  const dest = ruleDestination(graph, route, parent, rule.backendRefs, problems);
  if (dropped) return false;
  irMatches.forEach((match, matchIndex) => {
    const ir: IRRoute = {
      name: `grpcroute/${route.namespace}/${route.name}/rule/${ruleIndex}/match/${matchIndex}`,
      source: { kind: "GRPCRoute", namespace: route.namespace, name: route.name, ruleIndex, matchIndex },
      match,
    };
    if (filters.requestHeaders) ir.requestHeaders = filters.requestHeaders;
    if (filters.responseHeaders) ir.responseHeaders = filters.responseHeaders;
    if (filters.directResponseStatus !== undefined) ir.directResponse = { status: filters.directResponseStatus };
    else if (dest.allInvalid) ir.directResponse = { status: 500 };
    else {
      ir.destination = dest.destination;
      if (filters.mirrors.length > 0) ir.mirrors = filters.mirrors;
    }
    out.push({ ir, redirectPortFromListener: false, precedence: precedenceOf(route, match, ruleIndex, matchIndex) });
  });
  return true;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function toMatch(m: GRPCRouteMatch): HTTPMatch | string {
  const match: HTTPMatch = { path: { type: "PathPrefix", value: "/" }, headers: [], queryParams: [] };
  const method = m.method;
  if (method) {
    const type = method.type ?? "Exact";
    const svc = method.service;
    const meth = method.method;
    if (type === "Exact") {
      if (svc && meth) match.path = { type: "Exact", value: `/${svc}/${meth}` };
      else if (svc) match.path = { type: "PathPrefix", value: `/${svc}/` };
      else if (meth) match.path = { type: "RegularExpression", value: `/${SERVICE_PATTERN}/${escapeRegex(meth)}` };
    } else if (type === "RegularExpression") {
      for (const part of [svc, meth]) {
        if (part === undefined) continue;
        const err = re2Error(part);
        if (err) return `invalid method match regular expression: ${err}`;
      }
      match.path = { type: "RegularExpression", value: `/${svc ?? SERVICE_PATTERN}/${meth ?? METHOD_PATTERN}` };
    } else {
      return `method match type ${type} is not supported`;
    }
  }
  for (const h of asArray(m.headers)) {
    const type = h.type ?? "Exact";
    if (type !== "Exact" && type !== "RegularExpression") return `header match type ${type} is not supported`;
    if (type === "RegularExpression") {
      const err = re2Error(h.value ?? "");
      if (err) return `invalid header regular expression: ${err}`;
    }
    match.headers.push({ name: h.name ?? "", type, value: h.value ?? "" });
  }
  return match;
}
