// HTTPRoute processor: each (rule, match) becomes one IR route per parentRef; problems go on
// that parent's conditions. Rules with invalid configuration are dropped; a rule whose
// backends are all invalid, or whose filters cannot be honoured, answers 500.
import type { HTTPMatch, HTTPRoute as IRRoute, Retry, Timeouts } from "@gatehouse/ir";
import { re2Error } from "@gatehouse/validation";
import { ProblemCollector } from "../conditions";
import { asArray, spec, type HTTPRouteMatch, type HTTPRouteRule } from "../kube-types";
import type { BuiltHTTPRoute, ParentNode, PrecedenceKey, RouteNode, TranslationGraph } from "../graph";
import { processFilters } from "../filters";
import { attachRoute, sortedRoutes } from "../parent-refs";
import { applyCRDViolations, applyRuleProblems, attachHTTPRoutes, parseDuration, ruleDestination } from "../route-rules";

export function processHTTPRoutes(graph: TranslationGraph): void {
  for (const obj of sortedRoutes(graph.resources.httpRoutes)) {
    const route = attachRoute(graph, obj, "HTTPRoute");
    if (!route) continue;
    graph.routes.push(route);
    const rules = asArray(spec<{ rules?: HTTPRouteRule[] }>(obj).rules);
    for (const parent of route.parents) {
      const problems = new ProblemCollector();
      const unaccepted: number[] = [];
      const built: BuiltHTTPRoute[] = [];
      rules.forEach((rule, ruleIndex) => {
        const ok = buildRule(graph, route, parent, rule, ruleIndex, problems, built);
        if (!ok) unaccepted.push(ruleIndex);
      });
      applyRuleProblems(parent, problems.all(), unaccepted, rules.length);
      const invalid = applyCRDViolations(route, parent, rules.length);
      const programmed = invalid === undefined ? built : invalid === "all" ? [] : built.filter((b) => !invalid.has(b.ir.source.ruleIndex ?? -1));
      const program = !parent.conditions.has("Accepted", "False");
      if (!attachHTTPRoutes(route, parent, programmed, program)) {
        parent.conditions.set(
          "Accepted",
          "False",
          "NoMatchingListenerHostname",
          "There were no hostname intersections between the HTTPRoute and this parent ref's Listener(s)",
        );
      }
    }
  }
}

/** Builds the IR routes of one rule into `out`; returns false when the rule is dropped. */
function buildRule(
  graph: TranslationGraph,
  route: RouteNode,
  parent: ParentNode,
  rule: HTTPRouteRule,
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
  // Backends are resolved even for dropped rules so their problems are reported.
  const dest = ruleDestination(graph, route, parent, rule.backendRefs, problems);
  if (dropped) return false;
  const timeouts = toTimeouts(rule);
  const retry = toRetry(rule);
  irMatches.forEach((match, matchIndex) => {
    const ir: IRRoute = {
      name: `httproute/${route.namespace}/${route.name}/rule/${ruleIndex}/match/${matchIndex}`,
      source: { kind: "HTTPRoute", namespace: route.namespace, name: route.name, ruleIndex, matchIndex },
      match,
    };
    if (filters.requestHeaders) ir.requestHeaders = filters.requestHeaders;
    if (filters.responseHeaders) ir.responseHeaders = filters.responseHeaders;
    if (filters.directResponseStatus !== undefined) ir.directResponse = { status: filters.directResponseStatus };
    else if (filters.redirect) ir.redirect = filters.redirect;
    else if (dest.allInvalid) ir.directResponse = { status: 500 };
    else ir.destination = dest.destination;
    if (ir.destination) {
      if (filters.urlRewrite) ir.urlRewrite = filters.urlRewrite;
      if (filters.mirrors.length > 0) ir.mirrors = filters.mirrors;
      if (timeouts) ir.timeouts = timeouts;
      if (retry) ir.retry = retry;
      if (dest.websocket) ir.websocket = true;
    }
    if (filters.cors) ir.cors = filters.cors;
    out.push({
      ir,
      redirectPortFromListener: ir.redirect !== undefined && filters.redirectPortFromListener,
      precedence: precedenceOf(route, match, ruleIndex, matchIndex),
    });
  });
  return true;
}

function toMatch(m: HTTPRouteMatch): HTTPMatch | string {
  const pathType = m.path?.type ?? "PathPrefix";
  const pathValue = m.path?.value ?? "/";
  if (pathType !== "Exact" && pathType !== "PathPrefix" && pathType !== "RegularExpression") {
    return `path match type ${pathType} is not supported`;
  }
  if (pathType === "RegularExpression") {
    const err = re2Error(pathValue);
    if (err) return `invalid path regular expression: ${err}`;
  }
  const match: HTTPMatch = { path: { type: pathType, value: pathValue }, headers: [], queryParams: [] };
  for (const h of asArray(m.headers)) {
    const type = h.type ?? "Exact";
    if (type !== "Exact" && type !== "RegularExpression") return `header match type ${type} is not supported`;
    if (type === "RegularExpression") {
      const err = re2Error(h.value ?? "");
      if (err) return `invalid header regular expression: ${err}`;
    }
    match.headers.push({ name: h.name ?? "", type, value: h.value ?? "" });
  }
  for (const q of asArray(m.queryParams)) {
    const type = q.type ?? "Exact";
    if (type !== "Exact" && type !== "RegularExpression") return `query parameter match type ${type} is not supported`;
    if (type === "RegularExpression") {
      const err = re2Error(q.value ?? "");
      if (err) return `invalid query parameter regular expression: ${err}`;
    }
    match.queryParams.push({ name: q.name ?? "", type, value: q.value ?? "" });
  }
  if (m.method) match.method = m.method;
  return match;
}

export function precedenceOf(route: RouteNode, match: HTTPMatch, ruleIndex: number, matchIndex: number): PrecedenceKey {
  return {
    pathRank: match.path.type === "Exact" ? 0 : match.path.type === "RegularExpression" ? 1 : 2,
    pathLength: match.path.value.length,
    hasMethod: match.method !== undefined,
    headers: match.headers.length,
    queryParams: match.queryParams.length,
    routeOrder: route.order,
    ruleIndex,
    matchIndex,
  };
}

function toTimeouts(rule: HTTPRouteRule): Timeouts | undefined {
  const request = parseDuration(rule.timeouts?.request);
  const backend = parseDuration(rule.timeouts?.backendRequest);
  if (request === undefined && backend === undefined) return undefined;
  return { ...(request !== undefined ? { requestMs: request } : {}), ...(backend !== undefined ? { backendRequestMs: backend } : {}) };
}

function toRetry(rule: HTTPRouteRule): Retry | undefined {
  const r = rule.retry;
  if (!r) return undefined;
  const backoff = parseDuration(r.backoff);
  return {
    codes: asArray(r.codes),
    attempts: r.attempts ?? 1,
    ...(backoff !== undefined ? { backoffMs: backoff } : {}),
  };
}
