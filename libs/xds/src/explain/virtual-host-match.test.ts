import { describe, expect, it } from "vitest";
import { matchVirtualHost } from "./virtual-host-match";
import { routeConfig } from "./testdata/configs";

const rc = routeConfig("rc", [
  { name: "exact", domains: ["api.example.com"] },
  { name: "suffix-long", domains: ["*.eu.example.com"] },
  { name: "suffix", domains: ["*.example.com"] },
  { name: "prefix", domains: ["api.*"] },
  { name: "any", domains: ["*"] },
]);
const vh = (host: string, config = rc) => matchVirtualHost(config, host).virtualHost?.name;

describe("Envoy virtual host matching", () => {
  it("an exact domain beats every wildcard", () => {
    expect(vh("api.example.com")).toBe("exact");
  });

  it("suffix wildcards come next, the longest suffix first (Gateway API: *.example.com matches subdomains)", () => {
    expect(vh("shop.eu.example.com")).toBe("suffix-long");
    expect(vh("shop.example.com")).toBe("suffix");
    expect(vh("a.b.example.com")).toBe("suffix");
  });

  it("a wildcard stands for at least one character: *.example.com does not match example.com", () => {
    expect(vh("example.com")).toBe("any");
  });

  it("prefix wildcards come after suffix wildcards, then the catch-all", () => {
    expect(vh("api.internal")).toBe("prefix");
    expect(vh("other.internal")).toBe("any");
  });

  it("matches case-insensitively and without the port (ignore_port_in_host_matching)", () => {
    expect(vh("API.Example.com:8080")).toBe("exact");
  });

  it("no matching host: Envoy answers 404", () => {
    const only = routeConfig("rc", [{ name: "exact", domains: ["app.example.com"] }]);
    const m = matchVirtualHost(only, "other.example.com");
    expect(m.virtualHost).toBeUndefined();
    expect(m.step.notes[0]).toBe('no virtual host of rc serves host "other.example.com": Envoy answers 404');
  });
});
