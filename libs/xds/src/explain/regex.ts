// Envoy's safe_regex semantics with Google RE2 (re2-wasm): a matcher must match the whole
// value (RE2::FullMatch), and regex_rewrite replaces every match (RE2::GlobalReplace) with
// \1-style group references. Compiled patterns are kept: a config has few distinct ones.
import { RE2 } from "re2-wasm";

const compiled = new Map<string, RE2 | Error>();

function compile(source: string, flags: string): RE2 {
  const key = `${flags}\u0000${source}`;
  let re = compiled.get(key);
  if (!re) {
    try {
      re = new RE2(source, flags);
    } catch (err) {
      re = err as Error;
    }
    compiled.set(key, re);
  }
  if (re instanceof Error) throw new Error(`regular expression ${JSON.stringify(source)} does not compile: ${re.message}`);
  re.lastIndex = 0;
  return re;
}

/** True when `regex` matches all of `value`, as Envoy's RegexMatcher does. */
export function regexFullMatch(regex: string, value: string, ignoreCase = false): boolean {
  // RE2's $ without the m flag is the end of the text only, so the anchors make a full match.
  return compile(`^(?:${regex})$`, ignoreCase ? "iu" : "u").test(value);
}

/** Every match of `regex` in `value` replaced by `substitution` (\0..\9 name groups). */
export function regexGlobalReplace(regex: string, value: string, substitution: string): string {
  const js = substitution.replace(/\$/g, "$$$$").replace(/\\([0-9])/g, (_m, d: string) => (d === "0" ? "$&" : `$${d}`));
  return compile(regex, "gu").replace(value, js);
}
