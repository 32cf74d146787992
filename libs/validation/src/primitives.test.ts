import { describe, expect, it } from "vitest";
import { durationError, parseDuration } from "./duration";
import { headerNameError, headerValueError } from "./headers";
import { pathError } from "./path";

describe("headerNameError", () => {
  it.each(["X-Foo", "x_foo", "A!#$%&'*+-.^_`|~9"])("accepts the token %j", (name) => {
    expect(headerNameError(name)).toBeUndefined();
  });
  it.each([":authority", "X Foo", "X-Foo\r\n", "Ünicode", "a/b"])("rejects %j", (name) => {
    expect(headerNameError(name)).toContain("not an RFC 7230 token");
  });
  it("rejects an empty name and one over 256 characters", () => {
    expect(headerNameError("")).toBe("header name must not be empty");
    expect(headerNameError("x".repeat(257))).toContain("more than 256");
  });
});

describe("headerValueError", () => {
  it("accepts printable values with spaces and tabs", () => {
    expect(headerValueError("text/html; charset=utf-8\tok")).toBeUndefined();
  });
  it.each(["a\r\nX-Evil: 1", "a\nb", "a\0b"])("rejects CR, LF and NUL in %j", (value) => {
    expect(headerValueError(value)).toBe("header value must not contain NUL, CR or LF characters");
  });
  it("rejects values over 4096 characters", () => {
    expect(headerValueError("v".repeat(4097))).toContain("more than 4096");
  });
});

describe("durationError and parseDuration", () => {
  it.each([
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["500ms", 500],
    ["0s", 0],
    ["1h2m3s4ms", 3_723_004],
    ["99999s", 99_999_000],
  ])("accepts %j as %d ms", (value, ms) => {
    expect(durationError(value)).toBeUndefined();
    expect(parseDuration(value)).toBe(ms);
  });
  it.each(["", "1", "1d", "1.5s", "-1s", "100000s", "1h1m1s1ms1h", " 1s", "1S"])("rejects %j", (value) => {
    expect(durationError(value)).toContain("is invalid");
    expect(parseDuration(value)).toBeNaN();
  });
});

describe("pathError", () => {
  it("accepts ordinary prefixes and exact paths", () => {
    expect(pathError("/")).toBeUndefined();
    expect(pathError("/api/v1/users", "Exact")).toBeUndefined();
    expect(pathError("/a%20b")).toBeUndefined();
  });
  it.each([
    ["api", "must be an absolute path"],
    ["/a//b", "must not contain '//'"],
    ["/a/./b", "must not contain '/./'"],
    ["/a/../b", "must not contain '/../'"],
    ["/a%2fb", "must not contain '%2f'"],
    ["/a%2Fb", "must not contain '%2F'"],
    ["/a#b", "must not contain '#'"],
    ["/a/..", "must not end with '/..'"],
    ["/a/.", "must not end with '/.'"],
    ["/a b", "must only contain valid characters"],
    ["/a%zz", "must only contain valid characters"],
  ])("rejects the prefix %j with the CRD's message", (value, message) => {
    expect(pathError(value, "PathPrefix")).toContain(message);
  });
  it("compiles RegularExpression paths with RE2", () => {
    expect(pathError("/api/v[0-9]+/.*", "RegularExpression")).toBeUndefined();
    expect(pathError("/(?!admin).*", "RegularExpression")).toContain("does not support lookahead");
  });
  it("requires modifiers to be absolute paths without query or fragment", () => {
    expect(pathError("/new", "ReplaceFullPath")).toBeUndefined();
    expect(pathError("", "ReplacePrefixMatch")).toBeUndefined();
    expect(pathError("new", "ReplaceFullPath")).toContain("must be an absolute path");
    expect(pathError("/a?b", "ReplacePrefixMatch")).toContain("must not contain");
  });
  it("rejects paths over 1024 characters", () => {
    expect(pathError("/" + "a".repeat(1024))).toContain("more than 1024");
  });
});
