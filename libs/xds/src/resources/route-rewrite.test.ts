import { describe, expect, it } from "vitest";
import type { PathMatch, PathModifier } from "@gatehouse/ir";
import { routeMatch } from "./route-match";
import { pathRewrite } from "./route-rewrite";
import type { JsonObject } from "./json";

/**
 * What Envoy does with a request path given our match and rewrite: path_separated_prefix and
 * prefix_rewrite swap the matched prefix; regex_rewrite replaces the (anchored) match.
 */
function envoyRewrite(match: PathMatch, modifier: PathModifier, path: string): string {
  const m = routeMatch({ path: match, headers: [], queryParams: [] });
  const r = pathRewrite(match, modifier);
  if (typeof r.prefix_rewrite === "string") {
    const prefix = (m.path_separated_prefix ?? m.prefix ?? m.path) as string;
    return r.prefix_rewrite + path.slice(prefix.length);
  }
  if (r.regex_rewrite) {
    const rw = r.regex_rewrite as { pattern: JsonObject; substitution: string };
    return path.replace(new RegExp(rw.pattern.regex as string), rw.substitution);
  }
  return path;
}

const prefix = (value: string): PathMatch => ({ type: "PathPrefix", value });
const replacePrefix = (value: string): PathModifier => ({ type: "ReplacePrefixMatch", value });

describe("path rewrites follow Gateway API semantics", () => {
  it.each([
    // [match prefix, replacement, request path, expected upstream path]
    ["/prefix/one", "/one", "/prefix/one/two", "/one/two"],
    ["/prefix/one", "/one", "/prefix/one", "/one"],
    ["/prefix/one", "/one/", "/prefix/one/two", "/one/two"],
    ["/prefix/one/", "/one", "/prefix/one/two", "/one/two"],
    ["/strip-prefix", "/", "/strip-prefix/three", "/three"],
    ["/strip-prefix", "/", "/strip-prefix", "/"],
    ["/strip-prefix", "/", "/strip-prefix/", "/"],
    ["/strip-prefix", "", "/strip-prefix/x/y", "/x/y"],
    ["/", "/api", "/users", "/api/users"],
  ])("prefix %s replaced by %j turns %s into %s", (match, replacement, path, expected) => {
    expect(envoyRewrite(prefix(match), replacePrefix(replacement), path)).toBe(expected);
  });

  it("replaces the whole path and keeps nothing of it", () => {
    expect(envoyRewrite(prefix("/full"), { type: "ReplaceFullPath", value: "/one" }, "/full/path/original")).toBe("/one");
  });

  it("matches prefixes by whole path elements only", () => {
    expect(routeMatch({ path: prefix("/foo/"), headers: [], queryParams: [] })).toEqual({ path_separated_prefix: "/foo" });
    expect(routeMatch({ path: prefix("/"), headers: [], queryParams: [] })).toEqual({ prefix: "/" });
  });
});
