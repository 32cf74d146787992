// Envoy's route matching inside a virtual host: routes are tried in order and the first whose
// RouteMatch holds wins. A RouteMatch holds when its path specifier, every header matcher
// and every query parameter matcher hold:
//   prefix                 the :path (query string included) starts with it
//   path                   the path without the query string equals it
//   safe_regex             RE2 matches the whole path without the query string
//   path_separated_prefix  the path without the query is the prefix or continues with "/"
// case_sensitive (default true) applies to prefix and path. Header matchers read the header
// (repeated values joined with ","; :method, :authority, :path, :scheme as pseudo-headers);
// query parameter matchers read the first value of the parameter.
import type { JsonObject } from "../resources/json";
import { describeStringMatch, stringMatches } from "./string-match";
import { regexFullMatch } from "./regex";
import type { ExplainRequest } from "./types";

/** undefined when the route matches, else why not. */
export function routeMismatch(match: JsonObject, req: ExplainRequest): string | undefined {
  return pathMismatch(match, req.path) ?? headersMismatch(match, req) ?? queryMismatch(match, req.path) ?? grpcMismatch(match, req);
}

/** The path part of a :path, without query string or fragment. */
export function pathOnly(path: string): string {
  const cut = path.search(/[?#]/);
  return cut < 0 ? path : path.slice(0, cut);
}

function pathMismatch(match: JsonObject, fullPath: string): string | undefined {
  const caseSensitive = match.case_sensitive !== false;
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  const path = pathOnly(fullPath);
  if (typeof match.prefix === "string") {
    return fold(fullPath).startsWith(fold(match.prefix)) ? undefined : `path ${path} does not start with prefix ${match.prefix}`;
  }
  if (typeof match.path === "string") {
    return fold(path) === fold(match.path) ? undefined : `path ${path} is not exactly ${match.path}`;
  }
  if (typeof match.path_separated_prefix === "string") {
    const prefix = fold(match.path_separated_prefix);
    const p = fold(path);
    return p === prefix || p.startsWith(`${prefix}/`) ? undefined : `path ${path} is not ${match.path_separated_prefix} or below it`;
  }
  const safe = match.safe_regex as JsonObject | undefined;
  if (safe && typeof safe.regex === "string") {
    return regexFullMatch(safe.regex, path) ? undefined : `path ${path} does not match regex ${JSON.stringify(safe.regex)}`;
  }
  return "path specifier not modelled (connect_matcher, path_match_policy): taken as not matching";
}

/** The value Envoy's header matchers see, or undefined when the header is absent. */
export function headerValue(req: ExplainRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  switch (lower) {
    case ":method":
      return req.method;
    case ":authority":
    case "host":
      return req.host;
    case ":path":
      return req.path;
    case ":scheme":
      return req.tls ? "https" : "http";
  }
  const values = req.headers.filter(([n]) => n === lower).map(([, v]) => v);
  return values.length > 0 ? values.join(",") : undefined;
}

function headersMismatch(match: JsonObject, req: ExplainRequest): string | undefined {
  for (const h of (match.headers as JsonObject[] | undefined) ?? []) {
    const name = String(h.name);
    let value = headerValue(req, name);
    if (value === undefined && h.treat_missing_header_as_empty === true) value = "";
    let ok: boolean;
    let wanted: string;
    if (h.present_match !== undefined) {
      ok = (value !== undefined) === (h.present_match === true);
      wanted = h.present_match === true ? "present" : "absent";
    } else {
      const matcher = headerStringMatcher(h);
      ok = value !== undefined && stringMatches(matcher, value);
      wanted = describeStringMatch(matcher);
    }
    if (h.invert_match === true) {
      ok = !ok;
      wanted = `not ${wanted}`;
    }
    if (!ok) {
      const shown = name === ":method" ? "method" : `header ${name}`;
      return `${shown} ${value === undefined ? "is absent" : JSON.stringify(value)}, wanted ${wanted}`;
    }
  }
  return undefined;
}

/** string_match, or the deprecated per-kind fields of HeaderMatcher. */
function headerStringMatcher(h: JsonObject): JsonObject {
  if (h.string_match) return h.string_match as JsonObject;
  if (typeof h.exact_match === "string") return { exact: h.exact_match };
  if (typeof h.prefix_match === "string") return { prefix: h.prefix_match };
  if (typeof h.suffix_match === "string") return { suffix: h.suffix_match };
  if (typeof h.contains_match === "string") return { contains: h.contains_match };
  if (h.safe_regex_match) return { safe_regex: h.safe_regex_match };
  return { exact: "" };
}

/** The first value of each query parameter, decoded. */
export function queryParams(path: string): Map<string, string> {
  const q = path.indexOf("?");
  const out = new Map<string, string>();
  if (q < 0) return out;
  const query = path.slice(q + 1).split("#")[0];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    if (!out.has(name)) out.set(name, eq < 0 ? "" : decode(part.slice(eq + 1)));
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function queryMismatch(match: JsonObject, path: string): string | undefined {
  const params = queryParams(path);
  for (const q of (match.query_parameters as JsonObject[] | undefined) ?? []) {
    const name = String(q.name);
    const value = params.get(name);
    if (q.present_match === true) {
      if (value === undefined) return `query parameter ${name} is absent, wanted present`;
      continue;
    }
    const matcher = (q.string_match as JsonObject | undefined) ?? { exact: "" };
    if (value === undefined || !stringMatches(matcher, value)) {
      return `query parameter ${name} ${value === undefined ? "is absent" : JSON.stringify(value)}, wanted ${describeStringMatch(matcher)}`;
    }
  }
  return undefined;
}

function grpcMismatch(match: JsonObject, req: ExplainRequest): string | undefined {
  if (!match.grpc) return undefined;
  const ct = headerValue(req, "content-type") ?? "";
  return /^application\/grpc(\+|$)/.test(ct) ? undefined : `content-type ${JSON.stringify(ct)} is not gRPC`;
}

/** The RouteMatch as one line: `prefix /api, method exact "GET", header x-v exact "2"`. */
export function describeRouteMatch(match: JsonObject): string {
  const parts: string[] = [];
  for (const kind of ["prefix", "path", "path_separated_prefix"]) {
    if (typeof match[kind] === "string") parts.push(`${kind} ${String(match[kind])}`);
  }
  const safe = match.safe_regex as JsonObject | undefined;
  if (safe) parts.push(`regex ${JSON.stringify(safe.regex)}`);
  for (const h of (match.headers as JsonObject[] | undefined) ?? []) {
    const what = h.present_match !== undefined ? (h.present_match ? "present" : "absent") : describeStringMatch(headerStringMatcher(h));
    parts.push(`${h.name === ":method" ? "method" : `header ${String(h.name)}`} ${h.invert_match ? "not " : ""}${what}`);
  }
  for (const q of (match.query_parameters as JsonObject[] | undefined) ?? []) {
    parts.push(`query ${String(q.name)} ${q.present_match ? "present" : describeStringMatch((q.string_match as JsonObject) ?? {})}`);
  }
  if (match.grpc) parts.push("gRPC");
  return parts.join(", ");
}
