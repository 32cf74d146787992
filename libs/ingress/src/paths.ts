// Ingress paths to Gateway API path matches and rewrites.
//
// - Exact: Exact.
// - Prefix: PathPrefix (both match whole path elements, so "/foo" matches "/foo/bar", not "/foobar").
// - ImplementationSpecific: PathPrefix, like Prefix. (ingress-nginx matches it as a plain string
//   prefix, so "/foo" also matched "/foobar" there; that difference is documented.)
// - Prefix and ImplementationSpecific under use-regex (or a rewrite-target): a case-insensitive
//   RE2 RegularExpression anchored at the start and open at the end, as nginx's `location ~*`.
//
// rewrite-target: a target without captures replaces the whole path (ReplaceFullPath); the
// capture idiom `P(/|$)(.*)` with target `T$2` (and `P/(.*)` with `T$1`) is a prefix
// replacement of P by T (ReplacePrefixMatch on PathPrefix P); other captures cannot be expressed.
import { pathMatchViolations, re2Error } from "@gatehouse/validation";

export type MatchType = "Exact" | "PathPrefix" | "RegularExpression";

export interface PathMatch {
  type: MatchType;
  value: string;
}

export interface PathModifier {
  type: "ReplaceFullPath" | "ReplacePrefixMatch";
  value: string;
}

export interface ConvertedPath {
  match: PathMatch;
  rewrite?: PathModifier;
  /** Set when the rewrite could not be expressed exactly: "partial" with a reason, or "reported". */
  rewriteNote?: { outcome: "partial" | "reported"; message: string };
}

const REGEX_META = /[\\^$.|?*+()[\]{}]/;

/** The match for an Ingress path, or why it cannot be carried over. */
export function convertPath(path: string | undefined, pathType: string | undefined, regex: boolean, rewriteTarget?: string): ConvertedPath | string {
  const value = path === undefined || path === "" ? "/" : path;
  const type = pathType ?? "ImplementationSpecific";
  if (type !== "Exact" && type !== "Prefix" && type !== "ImplementationSpecific") return `pathType ${JSON.stringify(type)} is not one of Exact, Prefix, ImplementationSpecific`;

  if (rewriteTarget !== undefined && type !== "Exact") {
    const idiom = captureIdiom(value, rewriteTarget);
    if (idiom) return idiom;
  }
  let match: PathMatch;
  if (type === "Exact" || !regex) {
    match = { type: type === "Exact" ? "Exact" : "PathPrefix", value: type === "Exact" ? value : trimPrefix(value) };
    const bad = pathMatchViolations(match.value);
    if (bad.length > 0) return `path ${JSON.stringify(value)}: ${bad[0]}`;
  } else {
    let body = value.startsWith("^") ? value.slice(1) : value;
    const closed = body.endsWith("$") && !body.endsWith("\\$");
    if (closed) body = body.slice(0, -1);
    match = { type: "RegularExpression", value: `(?i)${body}${closed ? "" : ".*"}` };
    const err = re2Error(match.value);
    if (err) return `path ${JSON.stringify(value)} is not an RE2 regular expression: ${err}`;
  }
  if (rewriteTarget === undefined) return { match };
  if (!/\$\d/.test(rewriteTarget)) return { match, rewrite: { type: "ReplaceFullPath", value: rewriteTarget } };
  return {
    match,
    rewriteNote: { outcome: "reported", message: `rewrite-target ${rewriteTarget} on path ${value}: captures other than the P(/|$)(.*) idiom cannot be expressed; the path is routed without a rewrite` },
  };
}

/** PathPrefix ignores a trailing slash, and "/" must stay "/". */
function trimPrefix(value: string): string {
  return value.length > 1 && value.endsWith("/") ? value.slice(0, -1) : value;
}

function captureIdiom(path: string, target: string): ConvertedPath | undefined {
  const forms: { suffix: string; group: string; exact: boolean }[] = [
    { suffix: "(/|$)(.*)", group: "$2", exact: true },
    { suffix: "/(.*)", group: "$1", exact: false },
    { suffix: "(/.*)", group: "$1", exact: false },
  ];
  for (const f of forms) {
    if (!path.endsWith(f.suffix) || !target.endsWith(f.group)) continue;
    const prefix = path.slice(0, -f.suffix.length) || "/";
    if (REGEX_META.test(prefix) || pathMatchViolations(prefix).length > 0) continue;
    let replacement = target.slice(0, -f.group.length);
    if (/\$\d/.test(replacement)) continue;
    if (f.group === "$1" && f.suffix === "(/.*)") replacement = replacement || "/";
    if (!replacement.startsWith("/")) continue;
    const out: ConvertedPath = {
      match: { type: "PathPrefix", value: trimPrefix(prefix) },
      rewrite: { type: "ReplacePrefixMatch", value: trimPrefix(replacement) },
    };
    if (!f.exact) {
      out.rewriteNote = { outcome: "partial", message: `path ${path} with ${target} becomes PathPrefix ${out.match.value} replaced by ${out.rewrite!.value}; it now also matches ${out.match.value} itself` };
    }
    return out;
  }
  return undefined;
}
