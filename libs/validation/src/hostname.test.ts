import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { hostnameError } from "./hostname";

interface HostnameCases {
  valid: { hostname: string; wildcard: boolean }[];
  invalid: { hostname: string; wildcard: boolean; message: string }[];
}
const cases = parse(readFileSync(new URL("./testdata/hostname-cases.yaml", import.meta.url), "utf8")) as HostnameCases;

describe("hostnameError", () => {
  it.each(cases.valid)("accepts $hostname (wildcard allowed: $wildcard)", ({ hostname, wildcard }) => {
    expect(hostnameError(hostname, { wildcard })).toBeUndefined();
  });

  it.each(cases.invalid)("rejects $hostname: $message", ({ hostname, wildcard, message }) => {
    expect(hostnameError(hostname, { wildcard })).toContain(message);
  });

  it("accepts 253 characters and rejects 254", () => {
    const label = "a".repeat(49);
    const at253 = [label, label, label, label, label].join(".") + ".abc";
    expect(at253.length).toBe(253);
    expect(hostnameError(at253, { wildcard: false })).toBeUndefined();
    expect(hostnameError(at253 + "d", { wildcard: false })).toContain("more than 253");
  });

  it("does not bound single labels to 63 characters, as the CRD pattern does not", () => {
    expect(hostnameError(`${"a".repeat(64)}.com`, { wildcard: false })).toBeUndefined();
  });

  it("does not throw on values that are not strings", () => {
    expect(hostnameError(undefined as unknown as string, { wildcard: true })).toBe("hostname must be a string");
  });
});
