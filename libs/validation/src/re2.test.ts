import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { re2CacheSize, re2Error } from "./re2";

interface RegexCases {
  valid: string[];
  invalid: { pattern: string; message: string }[];
}
const cases = parse(readFileSync(new URL("./testdata/regex-cases.yaml", import.meta.url), "utf8")) as RegexCases;

describe("re2Error", () => {
  it.each(cases.valid)("accepts the RE2 pattern %j", (pattern) => {
    expect(re2Error(pattern)).toBeUndefined();
  });

  it.each(cases.invalid)("rejects $pattern with a message naming the problem", ({ pattern, message }) => {
    const error = re2Error(pattern);
    expect(error).toContain(message);
  });

  it("quotes the offending pattern in the message", () => {
    expect(re2Error("a(?=b)")).toMatch(/^invalid regular expression "a\(\?=b\)": invalid perl operator/);
  });

  it("gives the same answer from the cache as from a fresh compile", () => {
    const pattern = "cache-probe-(?=x)";
    const first = re2Error(pattern);
    const sizeAfterFirst = re2CacheSize();
    expect(re2Error(pattern)).toBe(first);
    expect(re2CacheSize()).toBe(sizeAfterFirst);
  });

  it("does not throw on values that are not strings", () => {
    expect(re2Error(42 as unknown as string)).toBe("regular expression must be a string");
    expect(re2Error(null as unknown as string)).toBe("regular expression must be a string");
  });
});
