// Gateway API matches as an envoy.config.route.v3.RouteMatch. Path prefixes match whole
// path elements ("/foo" matches "/foo/bar", never "/foobar"), which is Envoy's
// path_separated_prefix; regular expressions are RE2 (safe_regex).
import type { HTTPMatch, PathMatch } from "@gatehouse/ir";
import type { JsonObject } from "./json";

export function routeMatch(match: HTTPMatch): JsonObject {
  const out: JsonObject = pathSpecifier(match.path);
  const headers: JsonObject[] = [];
  if (match.method) headers.push({ name: ":method", string_match: { exact: match.method } });
  for (const h of match.headers) {
    // Header names are case-insensitive in HTTP and lowercase inside Envoy.
    const name = h.name.toLowerCase();
    // Present: a non-empty value, as a browser's preflight carries Origin (present_match alone
    // would also take an empty header).
    headers.push(h.type === "Present" ? { name, string_match: { safe_regex: { regex: ".+" } } } : { name, string_match: stringMatch(h.type, h.value) });
  }
  if (headers.length > 0) out.headers = headers;
  if (match.queryParams.length > 0) {
    out.query_parameters = match.queryParams.map((q) => ({ name: q.name, string_match: stringMatch(q.type, q.value) }));
  }
  return out;
}

function pathSpecifier(path: PathMatch): JsonObject {
  switch (path.type) {
    case "Exact":
      return { path: path.value };
    case "RegularExpression":
      return { safe_regex: { regex: path.value } };
    case "PathPrefix": {
      const trimmed = trimTrailingSlashes(path.value);
      return trimmed === "" ? { prefix: "/" } : { path_separated_prefix: trimmed };
    }
  }
}

function stringMatch(type: "Exact" | "RegularExpression", value: string): JsonObject {
  return type === "Exact" ? { exact: value } : { safe_regex: { regex: value } };
}

/** "/foo/" and "/foo" are the same Gateway API prefix; "/" becomes "". */
export function trimTrailingSlashes(path: string): string {
  return path.replace(/\/+$/, "");
}
