// A pure-JavaScript recogniser for a conservative subset of RE2 syntax: literals, `.`,
// anchors, groups, alternation, the usual Perl classes, simple bracket classes and
// bounded repetition. Compiling a pattern in the WASM RE2 costs a fraction of a
// millisecond, which adds up to seconds when ten thousand routes each carry their own
// regex; most route regexes sit inside this subset, and for them this check is exact.
// It only ever answers "certainly valid" or "don't know": errors, and anything unusual,
// are left to the real RE2 so their messages stay RE2's own.

// RE2 lets `\` escape any ASCII character that is not a word character ([A-Za-z0-9_]).
const ESCAPABLE_PUNCTUATION = new Set("\\.+*?()|[]{}^$/-!\"#%&',:;<=>@`~ ".split(""));
const PERL_CLASSES = new Set("dDwWsS".split(""));
const LITERAL = /[A-Za-z0-9/\-_~!@#%&=:;,'"<> `]/;
// In a class, `[`, `]` and `\` need care; everything else printable is literal.
const CLASS_LITERAL = /[A-Za-z0-9/_~!@#%&=:;,'"<> `.+*?(){}|^$-]/;

// Bounds that keep this path far below RE2's memory budget (a pattern "too large" is an
// error only the real RE2 can report): per repetition, summed over the pattern, and length.
const MAX_COUNT = 100;
const MAX_TOTAL_COUNT = 300;
const MAX_LENGTH = 512;

/** True when `pattern` is certainly accepted by RE2; false means "ask RE2". */
export function certainlyValidRe2(pattern: string): boolean {
  if (pattern.length === 0 || pattern.length > MAX_LENGTH) return false;
  // Per open group: whether it holds a counted repetition ({n,m}). Nested counted
  // repetitions multiply, and RE2 bounds the product, so they are left to RE2.
  const counted: boolean[] = [false];
  // Whether the last thing parsed can take a repetition operator, and whether it is a
  // group holding a counted repetition.
  let repeatable = false;
  let atomCounted = false;
  let totalCount = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === undefined) return false;
      atomCounted = false;
      if (PERL_CLASSES.has(n) || ESCAPABLE_PUNCTUATION.has(n)) repeatable = true;
      else if (n === "b" || n === "B") repeatable = false;
      else return false;
      i += 2;
    } else if (c === "(") {
      if (pattern[i + 1] === "?") {
        if (pattern[i + 2] !== ":") return false;
        i += 3;
      } else i += 1;
      counted.push(false);
      repeatable = false;
    } else if (c === ")") {
      if (counted.length === 1) return false;
      const inner = counted.pop() as boolean;
      if (inner) counted[counted.length - 1] = true;
      atomCounted = inner;
      i += 1;
      repeatable = true;
    } else if (c === "|") {
      i += 1;
      repeatable = false;
    } else if (c === "^" || c === "$") {
      i += 1;
      repeatable = false;
    } else if (c === "*" || c === "+" || c === "?") {
      if (!repeatable) return false;
      i += 1;
      if (pattern[i] === "?") i += 1; // non-greedy
      repeatable = false;
    } else if (c === "{") {
      const m = /^\{(\d{1,3})(,(\d{1,3})?)?\}/.exec(pattern.slice(i, i + 9));
      if (!m || !repeatable) return false;
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : m[3] === undefined ? lo : Number(m[3]);
      totalCount += hi;
      if (hi < lo || hi > MAX_COUNT || atomCounted || totalCount > MAX_TOTAL_COUNT) return false;
      counted[counted.length - 1] = true;
      i += m[0].length;
      if (pattern[i] === "?") i += 1;
      repeatable = false;
    } else if (c === "[") {
      const end = classEnd(pattern, i);
      if (end < 0) return false;
      i = end;
      repeatable = true;
      atomCounted = false;
    } else if (c === "." || LITERAL.test(c)) {
      i += 1;
      repeatable = true;
      atomCounted = false;
    } else {
      return false;
    }
  }
  return counted.length === 1;
}

/** Index just past a simple bracket class starting at `start`, or -1 if not simple. */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === "^") i++;
  // `]` first, `[` anywhere and POSIX classes are valid RE2 but not "simple".
  if (pattern[i] === "]") return -1;
  let previous: string | undefined; // last single character, a candidate range start
  let items = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "]") return items > 0 ? i + 1 : -1;
    if (c === "[") return -1;
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === undefined) return -1;
      if (PERL_CLASSES.has(n)) previous = undefined;
      else if (ESCAPABLE_PUNCTUATION.has(n)) previous = n;
      else return -1;
      i += 2;
      items++;
      continue;
    }
    if (c === "-" && previous !== undefined && pattern[i + 1] !== "]" && pattern[i + 1] !== undefined) {
      const hi = pattern[i + 1];
      if (hi === "\\" || hi === "[") return -1;
      if (!CLASS_LITERAL.test(hi) || hi < previous) return -1;
      previous = undefined;
      i += 2;
      continue;
    }
    if (!CLASS_LITERAL.test(c)) return -1;
    previous = c;
    i++;
    items++;
  }
  return -1;
}
