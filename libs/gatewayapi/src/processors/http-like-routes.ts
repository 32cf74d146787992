// The part of route processing that HTTPRoute and GRPCRoute share: per parentRef, each
// (rule, match) becomes one IR route; problems go on that parent's conditions; rules with
// invalid configuration are dropped; a rule whose backends are all invalid, or whose
// filters cannot be honoured, answers 500. The two processors supply only what differs:
// how a match is read and which per-rule settings the kind has.
import type { HeaderMatch, HTTPMatch, HTTPRoute as IRRoute, Retry, Timeouts } from "@gatehouse/ir";
import { re2Error } from "@gatehouse/validation";
import { ProblemCollector } from "../conditions";
import { asArray, spec, type BackendRef, type HTTPRouteFilter, type KubeObject, type SessionPersistenceSpec } from "../kube-types";
import type { BuiltHTTPRoute, ParentNode, PrecedenceKey, RouteNode, TranslationGraph } from "../graph";
import { processFilters } from "../filters";
import { attachRoute, sortedRoutes } from "../parent-refs";
import { applyCRDViolations, applyRuleProblems, attachHTTPRoutes, ruleDestination } from "../route-rules";
import { ruleSession, sessionForRule } from "../session-persistence";
import { corsPreflightRoute } from "../cors-preflight";

interface HTTPLikeRule<Match> {
  name?: string;
  sessionPersistence?: SessionPersistenceSpec;
  matches?: Match[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
}

export interface HTTPLikeKind<Match, Rule extends HTTPLikeRule<Match>> {
  kind: "HTTPRoute" | "GRPCRoute";
  /** An IR match, or why the match cannot be honoured (the rule is then dropped). */
  toMatch(match: Match): HTTPMatch | string;
  /** Settings of the rule that apply to every route it produces (HTTPRoute timeouts and retry). */
  ruleSettings?(rule: Rule): { timeouts?: Timeouts; retry?: Retry };
  /** Whether backends may ask for WebSocket upgrades (appProtocol kubernetes.io/ws). */
  websocket: boolean;
  /**
   * Whether a parentRef that is not Accepted still counts the route on its listeners
   * (attachedRoutes). Envoy Gateway counts rejected HTTPRoutes but not rejected GRPCRoutes.
   */
  countRejected: boolean;
}

export function processHTTPLikeRoutes<Match, Rule extends HTTPLikeRule<Match>>(
  graph: TranslationGraph,
  objects: Map<string, KubeObject> | KubeObject[],
  kind: HTTPLikeKind<Match, Rule>,
): void {
  for (const obj of sortedRoutes(objects)) {
    const route = attachRoute(graph, obj, kind.kind);
    if (!route) continue;
    graph.routes.push(route);
    const rules = asArray(spec<{ rules?: Rule[] }>(obj).rules);
    for (const parent of route.parents) {
      const problems = new ProblemCollector();
      const unaccepted: number[] = [];
      const built: BuiltHTTPRoute[] = [];
      rules.forEach((rule, ruleIndex) => {
        if (!buildRule(graph, kind, route, parent, rule, ruleIndex, problems, built)) unaccepted.push(ruleIndex);
      });
      applyRuleProblems(parent, problems.all(), unaccepted, rules.length);
      const invalid = applyCRDViolations(route, parent, rules.length);
      const programmed = invalid === undefined ? built : invalid === "all" ? [] : built.filter((b) => !invalid.has(b.ir.source.ruleIndex ?? -1));
      const accepted = !parent.conditions.has("Accepted", "False");
      if (!accepted && !kind.countRejected) continue;
      if (!attachHTTPRoutes(route, parent, programmed, accepted)) {
        parent.conditions.set(
          "Accepted",
          "False",
          "NoMatchingListenerHostname",
          `There were no hostname intersections between the ${kind.kind} and this parent ref's Listener(s)`,
        );
      }
    }
  }
}

/** Builds the IR routes of one rule into `out`; returns false when the rule is dropped. */
function buildRule<Match, Rule extends HTTPLikeRule<Match>>(
  graph: TranslationGraph,
  kind: HTTPLikeKind<Match, Rule>,
  route: RouteNode,
  parent: ParentNode,
  rule: Rule,
  ruleIndex: number,
  problems: ProblemCollector,
  out: BuiltHTTPRoute[],
): boolean {
  const filters = processFilters(graph, route, rule.filters, parent.ref);
  for (const p of filters.problems) problems.add(p);
  const session = ruleSession(rule.sessionPersistence, route, ruleIndex, rule.name);
  if (session.problem) problems.add(session.problem);
  const dropped = session.problem !== undefined || filters.problems.some((p) => p.type === "Accepted");
  const matches: Match[] = asArray(rule.matches).length > 0 ? rule.matches! : [{} as Match];
  const irMatches: HTTPMatch[] = [];
  for (const m of matches) {
    const res = kind.toMatch(m);
    if (typeof res === "string") {
      problems.add({ type: "Accepted", reason: "UnsupportedValue", message: `Rule ${ruleIndex}: ${res}` });
      return false;
    }
    irMatches.push(res);
  }
  // Backends are resolved even for dropped rules so their problems are reported.
  const dest = ruleDestination(graph, route, parent, rule.backendRefs, problems);
  if (dropped) return false;
  const { timeouts, retry } = kind.ruleSettings?.(rule) ?? {};
  const prefix = kind.kind.toLowerCase();
  const preflights = new Set<string>();
  const sessionPersistence = session.session ? sessionForRule(session.session, irMatches) : undefined;
  irMatches.forEach((match, matchIndex) => {
    const ir: IRRoute = {
      name: `${prefix}/${route.namespace}/${route.name}/rule/${ruleIndex}/match/${matchIndex}`,
      source: { kind: kind.kind, namespace: route.namespace, name: route.name, ruleIndex, matchIndex },
      match,
    };
    if (filters.requestHeaders) ir.requestHeaders = filters.requestHeaders;
    if (filters.responseHeaders) ir.responseHeaders = filters.responseHeaders;
    if (filters.directResponseStatus !== undefined) ir.directResponse = { status: filters.directResponseStatus };
    else if (filters.redirect) ir.redirect = filters.redirect;
    else if (dest.allInvalid) ir.directResponse = { status: 500 };
    else ir.destination = dest.destination;
    if (ir.destination) {
      // The only backend's own path rewrite and mirrors apply on top of the rule's.
      const urlRewrite = dest.fromBackend?.pathRewrite ? { ...filters.urlRewrite, path: dest.fromBackend.pathRewrite } : filters.urlRewrite;
      if (urlRewrite) ir.urlRewrite = urlRewrite;
      const mirrors = [...filters.mirrors, ...(dest.fromBackend?.mirrors ?? [])];
      if (mirrors.length > 0) ir.mirrors = mirrors;
      if (timeouts) ir.timeouts = timeouts;
      if (retry) ir.retry = retry;
      if (kind.websocket && dest.websocket) ir.websocket = true;
      if (sessionPersistence) ir.sessionPersistence = sessionPersistence;
    }
    if (filters.cors) ir.cors = filters.cors;
    const precedence = precedenceOf(route, match, ruleIndex, matchIndex);
    out.push({ ir, redirectPortFromListener: ir.redirect !== undefined && filters.redirectPortFromListener, precedence });
    const preflight = corsPreflightRoute(ir, preflights);
    // Ranked by its own match (a method and two headers): ahead of a plain OPTIONS route of the
    // same path, which would otherwise take the preflight away from the CORS filter.
    if (preflight) out.push({ ir: preflight, redirectPortFromListener: false, precedence: { ...precedenceOf(route, preflight.match, ruleIndex, matchIndex), preflight: true } });
  });
  return true;
}

/** The Gateway API's match precedence, as a sort key (emit-ir.ts orders routes by it). */
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

/** Header matches of either kind (Exact or RE2 RegularExpression), or why one is not supported. */
export function headerMatches(headers: { name?: string; type?: string; value?: string }[] | undefined): HeaderMatch[] | string {
  const out: HeaderMatch[] = [];
  for (const h of asArray(headers)) {
    const type = h.type ?? "Exact";
    if (type !== "Exact" && type !== "RegularExpression") return `header match type ${type} is not supported`;
    if (type === "RegularExpression") {
      const err = re2Error(h.value ?? "");
      if (err) return `invalid header regular expression: ${err}`;
    }
    out.push({ name: h.name ?? "", type, value: h.value ?? "" });
  }
  return out;
}
