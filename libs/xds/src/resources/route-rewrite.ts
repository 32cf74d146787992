// Path rewriting shared by URLRewrite (RouteAction) and RequestRedirect (RedirectAction):
// both have prefix_rewrite and regex_rewrite. Envoy matched the prefix with trailing slashes
// trimmed (route-match.ts), so replacing it with the trimmed replacement keeps exactly one
// slash before the rest of the path; replacing it with "/" needs a regex to swallow the
// slash that follows the prefix ("/foo/bar" -> "/bar", "/foo" -> "/").
import type { PathMatch, PathModifier } from "@gatehouse/ir";
import { escapeRegex, type JsonObject } from "./json";
import { trimTrailingSlashes } from "./route-match";

export function prefixReplacement(match: PathMatch, replacement: string): JsonObject {
  const to = trimTrailingSlashes(replacement);
  if (match.type === "PathPrefix") {
    const from = trimTrailingSlashes(match.value);
    if (from === "") return to === "" ? {} : { regex_rewrite: regexRewrite("^/", `${to}/`) };
    if (to === "") return { regex_rewrite: regexRewrite(`^${escapeRegex(from)}/*`, "/") };
    return { prefix_rewrite: to };
  }
  // The Gateway API allows ReplacePrefixMatch only with PathPrefix matches; for anything
  // else replace what the match matched at the start of the path.
  const pattern = match.type === "Exact" ? `^${escapeRegex(match.value)}` : `^(?:${match.value})`;
  return { regex_rewrite: regexRewrite(pattern, replacement === "" ? "/" : replacement) };
}

/** ReplaceFullPath: the whole path, keeping the query string (regex_rewrite sees only the path). */
export function fullPathRewrite(value: string): JsonObject {
  return { regex_rewrite: regexRewrite("^/.*$", value) };
}

export function pathRewrite(match: PathMatch, modifier: PathModifier): JsonObject {
  return modifier.type === "ReplaceFullPath" ? fullPathRewrite(modifier.value) : prefixReplacement(match, modifier.value);
}

function regexRewrite(regex: string, substitution: string): JsonObject {
  return { pattern: { regex }, substitution };
}
