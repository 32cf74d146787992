import { describe, expect, it } from "vitest";
import { wasmRe2Error } from "./re2";
import { certainlyValidRe2 } from "./re2-quick";
import { seededRandom } from "./testdata/seeded-random";

// Weighted towards the characters that make regex syntax interesting.
const PIECES = [
  "a", "z", "Z", "0", "9", "_", "-", "/", ".", "*", "+", "?", "(", ")", "(?:", "(?i)", "(?P<n>", "|", "[", "]", "[^",
  "{", "}", "{2}", "{1,3}", "{3,1}", "{0,}", "{101}", "{100}", "^", "$", "\\", "\\d", "\\w", "\\s", "\\b", "\\.", "\\-",
  "\\_", "\\1", "\\k", "\\ ", "\\/", ",", ":", " ", "#", "%", "'", "é", "\t", "a-z", "z-a", "\\d-z", "0-9", "-]",
];

describe("certainlyValidRe2", () => {
  it("never vouches for a pattern the real RE2 rejects", () => {
    const rand = seededRandom(7);
    let vouched = 0;
    for (let n = 0; n < 4_000; n++) {
      let pattern = "";
      const length = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < length; k++) pattern += PIECES[Math.floor(rand() * PIECES.length)];
      if (!certainlyValidRe2(pattern)) continue;
      vouched++;
      expect([pattern, wasmRe2Error(pattern)]).toEqual([pattern, undefined]);
    }
    // The generator must exercise the fast path, or this test proves nothing.
    expect(vouched).toBeGreaterThan(400);
  });

  it.each([
    "/api/v[0-9]+/.*",
    "^/users/[^/]+$",
    ".*\\.(jpg|png|gif)$",
    "/re-17/[0-9]+",
    "(?:foo|bar)-\\d{1,3}",
    "[A-Za-z_][A-Za-z_0-9]*",
    "com\\.example\\..*",
    "prod|stage",
  ])("vouches for the common route regex %j", (pattern) => {
    expect(certainlyValidRe2(pattern)).toBe(true);
    expect(wasmRe2Error(pattern)).toBeUndefined();
  });

  it.each(["a(?=b)", "(a)\\1", "[a-", "a**", "(?i)abc", "(?P<x>a)", "a{2}{3}", "(a{2}){3}", "[]a]", "x{1,101}", "é"])(
    "leaves %j to the real RE2",
    (pattern) => {
      expect(certainlyValidRe2(pattern)).toBe(false);
    },
  );
});
