import { describe, expect, it } from "vitest";
import { explainRequest } from "./explain";
import { matchFilterChain } from "./filter-chain-match";
import { matchListener } from "./listener-match";
import { hcmChain, httpConfig, listener, request, routeConfig } from "./testdata/configs";

const tlsListener = listener("default/eg/tcp-8443", 8443, [
  hcmChain("exact", "rc-exact", { server_names: ["www.example.com"], transport_protocol: "tls" }),
  hcmChain("wild", "rc-wild", { server_names: ["*.example.com"], transport_protocol: "tls" }),
]);
const chain = (sni: string | undefined, tls = true, l = tlsListener) => matchFilterChain(l, request({ port: 8443, tls, sni })).chain?.name;

describe("Envoy listener and filter chain selection", () => {
  it("the listener is the one bound to the destination port; no listener refuses the connection", () => {
    const config = httpConfig([]);
    expect(matchListener(config.listeners, 8080).listener?.name).toBe("default/eg/tcp-8080");
    expect(explainRequest(config, request({ port: 9999 })).outcome).toEqual({ kind: "connection-refused", reason: "nothing listens on port 9999" });
  });

  it("an exact server name beats a wildcard one", () => {
    expect(chain("www.example.com")).toBe("exact");
    expect(chain("shop.example.com")).toBe("wild");
  });

  it("wildcard server names match deeper names, trying the longest suffix first", () => {
    expect(chain("a.b.example.com")).toBe("wild");
  });

  it("an SNI no chain serves and no catch-all chain: Envoy closes the connection", () => {
    const e = explainRequest({ ...httpConfig([]), listeners: [tlsListener] }, request({ port: 8443, tls: true, sni: "other.org" }));
    expect(e.outcome).toEqual({ kind: "connection-closed", reason: "no filter chain of the listener matches the connection" });
    expect(e.steps[1].notes).toContain("SNI other.org matches none of the server names www.example.com, *.example.com");
  });

  it("plaintext never reaches a chain that expects TLS, and a chain without server_names catches other names", () => {
    const mixed = listener("l", 8443, [hcmChain("tls", "rc", { server_names: ["www.example.com"], transport_protocol: "tls" }), hcmChain("plain", "rc")]);
    expect(chain(undefined, false, mixed)).toBe("plain");
    expect(chain("www.example.com", true, mixed)).toBe("tls");
    expect(chain("other.org", true, mixed)).toBe("plain");
  });

  it("a Host that the SNI-chosen chain does not serve gets 404, with the 421 hint", () => {
    const config = {
      listeners: [tlsListener],
      routeConfigurations: [routeConfig("rc-exact", [{ name: "www", domains: ["www.example.com"], routes: [] }])],
      clusters: [],
      loadAssignments: [],
    };
    const e = explainRequest(config, request({ port: 8443, tls: true, sni: "www.example.com", host: "shop.example.com" }));
    expect(e.outcome.kind === "response" && e.outcome.status).toBe(404);
    expect(e.outcome.kind === "response" && e.outcome.reason).toMatch(/suggests 421 Misdirected Request/);
  });

  it("a virtual host set up to answer misdirected requests with 421 is reported as such", () => {
    const config = {
      listeners: [tlsListener],
      routeConfigurations: [
        routeConfig("rc-exact", [
          { name: "www", domains: ["www.example.com"], routes: [] },
          { name: "misdirected", domains: ["*"], routes: [{ name: "421", match: { prefix: "/" }, direct_response: { status: 421 } }] },
        ]),
      ],
      clusters: [],
      loadAssignments: [],
    };
    const e = explainRequest(config, request({ port: 8443, tls: true, sni: "www.example.com", host: "shop.example.com" }));
    expect(e.outcome).toEqual({ kind: "response", status: 421, reason: "the route answers directly" });
  });
});
