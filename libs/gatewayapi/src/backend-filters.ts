// Filters on one backendRef (HTTPBackendRef.filters, GRPCBackendRef.filters): they apply only
// to requests sent to that backend. Envoy carries header changes and a host rewrite per
// weighted cluster (ClusterWeight); a path rewrite or a mirror exists only per route, so
// route-rules.ts lifts those onto the route when the backend is the rule's only one.
// RequestRedirect and CORS decide before a backend is picked, so they cannot be per-backend.
import type { HeaderModifier, Mirror, PathModifier } from "@gatehouse/ir";
import type { RouteProblem } from "./conditions";
import { processFilters } from "./filters";
import type { RouteNode, TranslationGraph } from "./graph";
import { asArray, type HTTPRouteFilter, type ParentReference } from "./kube-types";

export interface BackendFilterOutcome {
  requestHeaders?: HeaderModifier;
  responseHeaders?: HeaderModifier;
  hostRewrite?: string;
  /** Needs the route: see route-rules.ts. */
  pathRewrite?: PathModifier;
  mirrors: Mirror[];
  /** Reported on the parent, the backend stays usable (an unresolvable mirror, say). */
  problems: RouteProblem[];
  /** Why the backend cannot be used at all (ResolvedRefs=False; its share answers 500). */
  invalid?: RouteProblem;
}

const PER_BACKEND = new Set(["RequestHeaderModifier", "ResponseHeaderModifier", "URLRewrite", "RequestMirror"]);

export function backendFilters(
  graph: TranslationGraph,
  route: RouteNode,
  filters: HTTPRouteFilter[] | undefined,
  ancestor: ParentReference,
): BackendFilterOutcome {
  const list = asArray(filters);
  const out: BackendFilterOutcome = { mirrors: [], problems: [] };
  if (list.length === 0) return out;
  const refused = list.find((f) => !PER_BACKEND.has(f.type ?? ""));
  if (refused) {
    out.invalid = {
      type: "ResolvedRefs",
      reason: "UnsupportedRefValue",
      message: `Filter ${refused.type} is not supported within a backendRef; only ${[...PER_BACKEND].join(", ")} are`,
    };
    return out;
  }
  const outcome = processFilters(graph, route, list, ancestor);
  // Invalid configuration (Accepted problems) or a filter that would answer 500 makes the
  // backend unusable; what processFilters reports against ResolvedRefs (a mirror's missing
  // Service) leaves it serving, as on a rule.
  const fatal = outcome.problems.find((p) => p.type === "Accepted") ?? (outcome.directResponseStatus !== undefined ? outcome.problems[0] : undefined);
  if (fatal) {
    out.invalid = { type: "ResolvedRefs", reason: "UnsupportedRefValue", message: `backendRef ${fatal.message}` };
    return out;
  }
  out.problems = outcome.problems;
  if (outcome.requestHeaders) out.requestHeaders = outcome.requestHeaders;
  if (outcome.responseHeaders) out.responseHeaders = outcome.responseHeaders;
  if (outcome.urlRewrite?.hostname !== undefined) out.hostRewrite = outcome.urlRewrite.hostname;
  if (outcome.urlRewrite?.path) out.pathRewrite = outcome.urlRewrite.path;
  out.mirrors = outcome.mirrors;
  return out;
}

/** Whether the backend needs route-level settings (a path rewrite or mirrors). */
export function needsRoute(o: BackendFilterOutcome): boolean {
  return o.pathRewrite !== undefined || o.mirrors.length > 0;
}
