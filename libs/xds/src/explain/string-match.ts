// Envoy's StringMatcher (envoy.type.matcher.v3.StringMatcher): exact, prefix, suffix,
// contains and safe_regex, each with ignore_case (which safe_regex does not honour).
import type { JsonObject } from "../resources/json";
import { regexFullMatch } from "./regex";

export function stringMatches(matcher: JsonObject, value: string): boolean {
  const ignoreCase = matcher.ignore_case === true;
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if (typeof matcher.exact === "string") return fold(value) === fold(matcher.exact);
  if (typeof matcher.prefix === "string") return fold(value).startsWith(fold(matcher.prefix));
  if (typeof matcher.suffix === "string") return fold(value).endsWith(fold(matcher.suffix));
  if (typeof matcher.contains === "string") return fold(value).includes(fold(matcher.contains));
  const safe = matcher.safe_regex as JsonObject | undefined;
  if (safe && typeof safe.regex === "string") return regexFullMatch(safe.regex, value);
  return false;
}

/** The matcher as a reader would write it: `exact "v1"`, `regex "^/api"`. */
export function describeStringMatch(matcher: JsonObject): string {
  const ci = matcher.ignore_case === true ? " (ignoring case)" : "";
  for (const kind of ["exact", "prefix", "suffix", "contains"]) {
    if (typeof matcher[kind] === "string") return `${kind} ${JSON.stringify(matcher[kind])}${ci}`;
  }
  const safe = matcher.safe_regex as JsonObject | undefined;
  return `regex ${JSON.stringify(safe?.regex ?? "")}`;
}
