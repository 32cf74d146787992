// HTTPRoute processor: path, header, query-parameter and method matches, and the rule's
// timeouts and retry; everything else is shared with GRPCRoute (http-like-routes.ts).
import type { HTTPMatch, Retry, Timeouts } from "@gatehouse/ir";
import { re2Error } from "@gatehouse/validation";
import { asArray, type HTTPRouteMatch, type HTTPRouteRule } from "../kube-types";
import type { TranslationGraph } from "../graph";
import { parseDuration } from "../route-rules";
import { headerMatches, processHTTPLikeRoutes } from "./http-like-routes";

export function processHTTPRoutes(graph: TranslationGraph): void {
  processHTTPLikeRoutes<HTTPRouteMatch, HTTPRouteRule>(graph, graph.resources.httpRoutes, {
    kind: "HTTPRoute",
    toMatch,
    ruleSettings: (rule) => ({ timeouts: toTimeouts(rule), retry: toRetry(rule) }),
    websocket: true,
    countRejected: true,
  });
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
  const headers = headerMatches(m.headers);
  if (typeof headers === "string") return headers;
  const match: HTTPMatch = { path: { type: pathType, value: pathValue }, headers, queryParams: [] };
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
