import { describe, expect, it } from "vitest";
import { hostnamesOverlap } from "./tls-overlaps";

describe("hostnamesOverlap (OverlappingTLSConfig)", () => {
  it("treats a missing hostname as overlapping everything", () => {
    expect(hostnamesOverlap(undefined, "a.example.com")).toBe(true);
  });
  it("matches a wildcard with names one label below it, either way round", () => {
    expect(hostnamesOverlap("*.example.com", "a.example.com")).toBe(true);
    expect(hostnamesOverlap("a.example.com", "*.example.com")).toBe(true);
    expect(hostnamesOverlap("*.example.com", "a.b.example.com")).toBe(false);
  });
  it("compares everything else for equality", () => {
    expect(hostnamesOverlap("a.example.com", "a.example.com")).toBe(true);
    expect(hostnamesOverlap("a.example.com", "b.example.com")).toBe(false);
    expect(hostnamesOverlap("*.example.com", "*.example.com")).toBe(true);
  });
});
