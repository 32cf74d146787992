import { describe, expect, it } from "vitest";
import { compareHostSpecificity, computeHosts } from "./hostnames";

describe("computeHosts (route and listener hostname intersection)", () => {
  it("uses the listener hostname, or *, when the route has none", () => {
    expect(computeHosts([], "api.example.com")).toEqual(["api.example.com"]);
    expect(computeHosts([], undefined)).toEqual(["*"]);
  });

  it("keeps the route hostnames when the listener has none", () => {
    expect(computeHosts(["a.example.com", "*.b.org"], undefined)).toEqual(["a.example.com", "*.b.org"]);
  });

  it("matches exact route hostnames under a wildcard listener, one or more labels deep", () => {
    expect(computeHosts(["shop.example.com", "deep.shop.example.com", "example.com", "x.other.org"], "*.example.com")).toEqual([
      "shop.example.com",
      "deep.shop.example.com",
    ]);
  });

  it("narrows a wildcard route to an exact listener hostname it covers", () => {
    expect(computeHosts(["*.example.com"], "api.example.com")).toEqual(["api.example.com"]);
    expect(computeHosts(["*.example.com"], "example.com")).toEqual([]);
  });

  it("takes the more specific of two wildcards, and nothing when they are disjoint", () => {
    expect(computeHosts(["*.shop.example.com"], "*.example.com")).toEqual(["*.shop.example.com"]);
    expect(computeHosts(["*.com"], "*.example.com")).toEqual(["*.example.com"]);
    expect(computeHosts(["*.example.org"], "*.example.com")).toEqual([]);
  });

  it("is case-insensitive and removes duplicates", () => {
    expect(computeHosts(["API.example.com", "api.example.com"], "*.Example.com")).toEqual(["api.example.com"]);
  });
});

describe("compareHostSpecificity (virtual host order)", () => {
  it("puts exact names first, then wildcards with more labels, then *", () => {
    const hosts = ["*", "*.example.com", "b.example.com", "*.deep.example.com", "a.example.com"];
    expect(hosts.sort(compareHostSpecificity)).toEqual(["a.example.com", "b.example.com", "*.deep.example.com", "*.example.com", "*"]);
  });
});
