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
  });
}

/** Gateway API origins are exact, "*", or carry a "*" wildcard in the host ("https://*.example.com"). */
function originMatcher(origin: string): JsonObject {
  if (origin === "*") return { safe_regex: { regex: ".*" } };
  if (!origin.includes("*")) return { exact: origin };
  const pattern = origin.split("*").map(escapeRegex).join("[^/]*");
  return { safe_regex: { regex: `^${pattern}$` } };
}

function joinOrUndefined(values: string[]): string | undefined {
  return values.length > 0 ? values.join(",") : undefined;
}
