// envoy.filters.http.cors: the listener-level filter is empty; each route with an HTTPCORSFilter
// carries its CorsPolicy in typed_per_filter_config (the route-level `cors` field is deprecated).
import type { CORSPolicy, HTTPRoute } from "@gatehouse/ir";
import { compact, escapeRegex, typedConfig, typeUrlOf, type JsonObject } from "../json";
import type { HttpFilter } from "./http-filter";

const TYPE_NAME = "envoy.extensions.filters.http.cors.v3.Cors";
const POLICY_TYPE_NAME = "envoy.extensions.filters.http.cors.v3.CorsPolicy";

export const corsFilter: HttpFilter = {
  name: "envoy.filters.http.cors",
  typeUrl: typeUrlOf(TYPE_NAME),
  order: 100,
  config: () => typedConfig(TYPE_NAME),
  perRoute: (route: HTTPRoute) => (route.cors ? typedConfig(POLICY_TYPE_NAME, corsPolicy(route.cors)) : undefined),
};

function corsPolicy(cors: CORSPolicy): JsonObject {
  return compact({
    allow_origin_string_match: cors.allowOrigins.map(originMatcher),
    allow_methods: joinOrUndefined(cors.allowMethods),
    allow_headers: joinOrUndefined(cors.allowHeaders),
    expose_headers: joinOrUndefined(cors.exposeHeaders),
    // uint64-style string in Envoy's proto (max_age is a string field).
    max_age: cors.maxAgeSeconds !== undefined ? String(cors.maxAgeSeconds) : undefined,
    allow_credentials: cors.allowCredentials,
    // HTTPCORSFilter: the gateway answers a preflight from an origin that is not allowed (200
    // without CORS headers); Envoy would otherwise forward it to the backend.
    forward_not_matching_preflights: false,
  });
}

/** One or more DNS labels, dots included: what a "*" in an origin's host stands for. */
const LABELS = "[a-z0-9-]+(?:\\.[a-z0-9-]+)*";

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/**
 * Gateway API origins are "*" or `scheme://host[:port]`, where the host may be "*" or start
 * with "*." (greedy to the left: any number of labels). Browsers send the Origin header
 * serialized, lowercase and without the scheme's default port, so the configured origin is
 * put in that form first: "https://App.example.com:443" matches "https://app.example.com".
 */
export function originMatcher(origin: string): JsonObject {
  if (origin === "*") return { safe_regex: { regex: ".*" } };
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/:]+)(?::(\d+))?$/.exec(origin);
  // The CRD pattern admits nothing else; anything odd is matched literally.
  if (!m) return { exact: origin };
  const scheme = m[1].toLowerCase();
  const host = m[2].toLowerCase();
  const port = m[3] !== undefined && Number(m[3]) !== DEFAULT_PORTS[scheme] ? `:${Number(m[3])}` : "";
  if (!host.includes("*")) return { exact: `${scheme}://${host}${port}` };
  // "*" alone is any host (a name or a bracketed IPv6 address); "*.example.com" is one or more
  // labels before ".example.com". Only hostname characters: nothing else may end up in the host.
  const hostPattern = host === "*" ? `(?:${LABELS}|\\[[0-9a-f:.]+\\])` : host.split("*").map(escapeRegex).join(LABELS);
  return { safe_regex: { regex: `^${escapeRegex(scheme)}://${hostPattern}${escapeRegex(port)}$` } };
}

function joinOrUndefined(values: string[]): string | undefined {
  return values.length > 0 ? values.join(",") : undefined;
}
