// GRPCRoute processor: service and method matches become HTTP/2 path matches
// ("/<service>/<method>"), header matches stay header matches; the rest is shared with
// HTTPRoute (http-like-routes.ts). Backends speak HTTP/2.
import type { HTTPMatch } from "@gatehouse/ir";
import { re2Error } from "@gatehouse/validation";
import type { GRPCRouteMatch, GRPCRouteRule } from "../kube-types";
import type { TranslationGraph } from "../graph";
import { headerMatches, processHTTPLikeRoutes } from "./http-like-routes";

const SERVICE_PATTERN = "[A-Za-z_][A-Za-z_0-9]*(\\.[A-Za-z_][A-Za-z_0-9]*)*";
const METHOD_PATTERN = "[A-Za-z_][A-Za-z_0-9]*";

export function processGRPCRoutes(graph: TranslationGraph): void {
  processHTTPLikeRoutes<GRPCRouteMatch, GRPCRouteRule>(graph, graph.resources.grpcRoutes, {
    kind: "GRPCRoute",
    toMatch,
    websocket: false,
    countRejected: false,
  });
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
  const headers = headerMatches(m.headers);
  if (typeof headers === "string") return headers;
  match.headers = headers;
  return match;
}
