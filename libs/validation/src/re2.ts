// Regular expressions as Envoy compiles them. Envoy's safe_regex uses Google RE2, which
// has no lookaround and no backreferences; a pattern JavaScript accepts may still make
// Envoy NACK the whole listener, so every user regex is compiled with real RE2 (WASM)
// before it reaches the IR. We drive the raw RE2 wrapper rather than re2-wasm's RE2
// class: that class rewrites JavaScript syntax (\u0041, "/") into RE2 syntax first,
// which would accept patterns Envoy itself rejects.
import { createRequire } from "node:module";
import { LruCache } from "@gatehouse/runtime";
import { certainlyValidRe2 } from "./re2-quick";

interface WrappedRe2 {
  ok(): boolean;
  error(): string;
  delete(): void;
}
type WrappedRe2Constructor = new (
  pattern: string,
  ignoreCase: boolean,
  multiline: boolean,
  dotAll: boolean,
) => WrappedRe2;

const require = createRequire(import.meta.url);
// The emscripten module instantiates synchronously on require.
const { WrappedRE2 } = require("re2-wasm/build/wasm/re2") as { WrappedRE2: WrappedRe2Constructor };

/** Envoy's RegexMatcher.regex has PGV rule min_len 1; longer patterns than this are
 * certainly a mistake and cost WASM memory to compile. */
export const MAX_REGEX_LENGTH = 32_768;

const CACHE_CAPACITY = 10_000;
// `null` caches "valid": LruCache.get cannot tell a cached undefined from a miss.
const cache = new LruCache<string, string | null>(CACHE_CAPACITY);

/**
 * Checks `pattern` the way Envoy's RE2 engine would compile it. Returns a message for
 * the operator, or undefined when the pattern compiles. Results are cached.
 */
export function re2Error(pattern: string): string | undefined {
  if (typeof pattern !== "string") return "regular expression must be a string";
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached ?? undefined;
  const result = compile(pattern);
  cache.set(pattern, result ?? null);
  return result;
}

/** How many distinct patterns are memoised (for tests and metrics). */
export function re2CacheSize(): number {
  return cache.size;
}

function compile(pattern: string): string | undefined {
  if (pattern.length === 0) return "regular expression must not be empty";
  if (pattern.length > MAX_REGEX_LENGTH) {
    return `regular expression is ${pattern.length} characters long, more than the ${MAX_REGEX_LENGTH} allowed`;
  }
  // Most route regexes are plain enough to vouch for without a WASM round trip.
  if (certainlyValidRe2(pattern)) return undefined;
  return wasmRe2Error(pattern);
}

/** The real RE2's verdict, uncached (exported for the tests that check the fast path). */
export function wasmRe2Error(pattern: string): string | undefined {
  let wrapped: WrappedRe2 | undefined;
  try {
    wrapped = new WrappedRE2(modernNamedGroups(pattern), false, false, false);
    if (wrapped.ok()) return undefined;
    return describe(pattern, wrapped.error());
  } catch (err) {
    // The WASM side can only fail like this on resource exhaustion; report, never throw.
    return `regular expression ${quote(pattern)} could not be compiled: ${(err as Error).message}`;
  } finally {
    // Embind objects live on the WASM heap and are not garbage collected.
    wrapped?.delete();
  }
}

/** The bundled RE2 predates `(?<name>...)`, which current RE2 (and so Envoy) accepts as
 * a synonym of `(?P<name>...)`. Lookbehind `(?<=`, `(?<!` is left alone to be rejected. */
function modernNamedGroups(pattern: string): string {
  if (!pattern.includes("(?<")) return pattern;
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") {
      out += pattern.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch === "(" && pattern.startsWith("(?<", i) && pattern[i + 3] !== "=" && pattern[i + 3] !== "!") {
      out += "(?P<";
      i += 2;
      continue;
    }
    out += ch;
  }
  return out;
}

function describe(pattern: string, error: string): string {
  let hint = "";
  if (/invalid perl operator: \(\?(=|!|<)/.test(error)) {
    hint = " (RE2, Envoy's regex engine, does not support lookahead or lookbehind)";
  } else if (/invalid escape sequence: \\[1-9]/.test(error)) {
    hint = " (RE2, Envoy's regex engine, does not support backreferences)";
  } else if (/invalid escape sequence: \\k/.test(error)) {
    hint = " (RE2, Envoy's regex engine, does not support named backreferences)";
  } else if (/invalid perl operator: \(\?>/.test(error)) {
    hint = " (RE2, Envoy's regex engine, does not support atomic groups)";
  } else if (/bad repetition operator: (\*\+|\+\+|\?\+)/.test(error)) {
    hint = " (RE2, Envoy's regex engine, does not support possessive quantifiers)";
  }
  return `invalid regular expression ${quote(pattern)}: ${error}${hint}`;
}

function quote(pattern: string): string {
  const shown = pattern.length > 120 ? `${pattern.slice(0, 117)}...` : pattern;
  return JSON.stringify(shown);
}
