// Envoy's CORS filter on a CORS preflight (OPTIONS with Origin and Access-Control-Request-
// Method): on a forwarding route with a CorsPolicy it answers 200 itself when the origin is
// allowed; otherwise it forwards the request, unless forward_not_matching_preflights is false,
// when it answers 200 without CORS headers. Redirects and direct responses bypass the filter.
import type { JsonObject } from "../resources/json";
import { headerValue } from "./route-match";
import { stringMatches } from "./string-match";
import type { ExplainOutcome, ExplainRequest } from "./types";

const CORS_FILTER = "envoy.filters.http.cors";

/** The outcome when the CORS filter answers the request, or undefined when the request goes on. */
export function corsPreflightAnswer(route: JsonObject, req: ExplainRequest): Extract<ExplainOutcome, { kind: "response" }> | undefined {
  if (!route.route) return undefined;
  const policy = ((route.typed_per_filter_config as JsonObject | undefined) ?? {})[CORS_FILTER] as JsonObject | undefined;
  if (!policy) return undefined;
  const origin = headerValue(req, "origin") ?? "";
  if (req.method !== "OPTIONS" || origin === "" || (headerValue(req, "access-control-request-method") ?? "") === "") return undefined;
  const matchers = (policy.allow_origin_string_match as JsonObject[] | undefined) ?? [];
  // Envoy also takes a matcher that accepts the literal "*" as allowing every origin.
  const allowed = matchers.some((m) => stringMatches(m, "*") || stringMatches(m, origin));
  if (allowed) {
    return { kind: "response", status: 200, reason: `the CORS filter answers the preflight: origin ${origin} is allowed${allowedDetails(policy)}` };
  }
  if (policy.forward_not_matching_preflights === false) {
    return { kind: "response", status: 200, reason: `the CORS filter answers the preflight without CORS headers: origin ${origin} is not allowed, so the browser will not send the request` };
  }
  return undefined;
}

function allowedDetails(policy: JsonObject): string {
  const parts: string[] = [];
  if (typeof policy.allow_methods === "string") parts.push(`methods ${policy.allow_methods}`);
  if (typeof policy.allow_headers === "string") parts.push(`headers ${policy.allow_headers}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}
