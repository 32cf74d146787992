// The HTTP filters as Envoy receives them: the listener-level chain every HCM carries, the
// per-route stateful session and CORS configs, the CORS preflight route walked through the
// generated configuration, and PGV validation of what the filters produce.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { GatewayIR, HTTPFilterChain, HTTPRoute } from "@gatehouse/ir";
import { buildGatewayResources, type GatewayResources } from "../gateway-resources";
import { validateGatewayResources } from "../validate-resources";
import type { JsonObject } from "../json";
import { explainRequest } from "../../explain/explain";
import { assignment, request } from "../../explain/testdata/configs";
import type { EnvoyConfig } from "../../explain/types";
import { originMatcher } from "./cors-filter";
import { stringMatches } from "../../explain/string-match";

const TESTDATA = path.join(import.meta.dirname, "..", "testdata");
const loadIR = (name: string) => JSON.parse(readFileSync(path.join(TESTDATA, `${name}.in.json`), "utf8")) as GatewayIR;
const build = (ir: GatewayIR) => buildGatewayResources(ir, { ipFamily: "IPv4" });

function hcm(resources: GatewayResources): JsonObject {
  const chains = resources.listeners[0].json.filter_chains as { filters: { typed_config: JsonObject }[] }[];
  return chains[0].filters[0].typed_config;
}

function routesByName(resources: GatewayResources): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const rc of resources.routes) for (const vh of rc.json.virtual_hosts as { routes: JsonObject[] }[]) for (const r of vh.routes) out.set(String(r.name), r);
  return out;
}

function irRoutes(ir: GatewayIR): HTTPRoute[] {
  return ir.listeners.flatMap((l) => l.filterChains.filter((c): c is HTTPFilterChain => c.kind === "http").flatMap((c) => c.virtualHosts.flatMap((vh) => vh.routes)));
}

describe("the HttpConnectionManager's filter chain", () => {
  it("is CORS, then stateful_session disabled until a route enables it, then the router", () => {
    const filters = hcm(build(loadIR("http-sessions"))).http_filters as JsonObject[];
    expect(filters.map((f) => [f.name, f.disabled ?? false])).toEqual([
      ["envoy.filters.http.cors", false],
      ["envoy.filters.http.stateful_session", true],
      ["envoy.filters.http.router", false],
    ]);
    // No session state at listener level: a route without sessionPersistence gets nothing.
    expect(filters[1].typed_config).toEqual({ "@type": "type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSession" });
  });

  it("does not change when routes start or stop using sessions (a Listener update drains connections)", () => {
    const ir = loadIR("http-sessions");
    const without = structuredClone(ir);
    for (const r of irRoutes(without)) delete r.sessionPersistence;
    expect(build(without).listeners).toEqual(build(ir).listeners);
  });
});

describe("stateful session per route", () => {
  const routes = routesByName(build(loadIR("http-sessions")));
  const session = (name: string) => (routes.get(name)!.typed_per_filter_config as JsonObject | undefined)?.["envoy.filters.http.stateful_session"];

  it("a permanent cookie carries its Max-Age (absoluteTimeout) and the match's path", () => {
    expect(session("httproute/default/sticky/rule/0/match/0")).toEqual({
      "@type": "type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSessionPerRoute",
      stateful_session: {
        session_state: {
          name: "envoy.http.stateful_session.cookie",
          typed_config: {
            "@type": "type.googleapis.com/envoy.extensions.http.stateful_session.cookie.v3.CookieBasedSessionState",
            cookie: { name: "cart-session", path: "/cart", ttl: "5400s" },
          },
        },
      },
    });
  });

  it("a session cookie has no TTL, and one Path covering every match of its rule", () => {
    const cookie = (name: string) => JSON.stringify(session(name)).match(/"cookie":(\{[^}]*\})/)?.[1];
    // /login and a regular expression: only "/" covers both.
    expect(cookie("httproute/default/sticky/rule/1/match/0")).toBe('{"name":"gatehouse-session-d4249dba9b2a","path":"/"}');
    expect(cookie("httproute/default/sticky/rule/1/match/1")).toBe('{"name":"gatehouse-session-d4249dba9b2a","path":"/"}');
    // /shop/books and /shop/basket: whole segments in common.
    expect(cookie("httproute/default/sticky/rule/6/match/0")).toBe('{"name":"shop","path":"/shop"}');
    expect(cookie("httproute/default/sticky/rule/6/match/1")).toBe('{"name":"shop","path":"/shop"}');
  });

  it("a header session names the header, for HTTPRoute and GRPCRoute alike", () => {
    const header = (name: string) => ((session(name) as JsonObject).stateful_session as JsonObject).session_state;
    expect(header("httproute/default/sticky/rule/2/match/0")).toEqual({
      name: "envoy.http.stateful_session.header",
      typed_config: { "@type": "type.googleapis.com/envoy.extensions.http.stateful_session.header.v3.HeaderBasedSessionState", name: "x-session" },
    });
    expect(JSON.stringify(header("grpcroute/default/grpc-sticky/rule/0/match/0"))).toContain('"name":"grpc-session"');
  });

  it("is never set on a route that does not forward (Envoy picks no endpoint there)", () => {
    const ir = loadIR("http-sessions");
    const r = irRoutes(ir)[0];
    delete r.destination;
    r.directResponse = { status: 500 };
    const built = routesByName(build(ir)).get(r.name)!;
    expect(built.typed_per_filter_config).toBeUndefined();
  });

  it("passes Envoy's validation, and an empty cookie name is caught on its route alone", () => {
    expect(validateGatewayResources(build(loadIR("http-sessions"))).failures).toEqual([]);
    const ir = loadIR("http-sessions");
    const broken = irRoutes(ir).find((r) => r.name === "httproute/default/sticky/rule/0/match/0")!;
    broken.sessionPersistence = { type: "Cookie", name: "", path: "/cart" };
    const result = validateGatewayResources(build(ir));
    expect(result.failures).toEqual([
      expect.objectContaining({
        irName: "httproute/default/sticky/rule/0/match/0",
        source: { kind: "HTTPRoute", namespace: "default", name: "sticky", ruleIndex: 0, matchIndex: 0 },
        dropped: "part",
        issues: [expect.objectContaining({ rule: "string.min_len" })],
      }),
    ]);
    expect([...routesByName(result.valid).keys()]).not.toContain("httproute/default/sticky/rule/0/match/0");
    expect(routesByName(result.valid).size).toBe(routesByName(build(loadIR("http-sessions"))).size - 1);
  });
});

describe("the CORS preflight route", () => {
  const resources = build(loadIR("http-cors-preflight"));
  const config: EnvoyConfig = {
    listeners: resources.listeners.map((l) => l.json),
    routeConfigurations: resources.routes.map((r) => r.json),
    clusters: resources.clusters.map((c) => c.json),
    loadAssignments: [assignment("default/web/8080/http1", [["10.0.0.1", 8080, "HEALTHY"]])],
  };
  const ask = (method: string, urlPath: string, headers: [string, string][]) =>
    explainRequest(config, request({ port: 10080, host: "api.example.com", method, path: urlPath, headers }));
  const preflight = (origin: string): [string, string][] => [
    ["origin", origin],
    ["access-control-request-method", "GET"],
  ];

  it("passes Envoy's validation", () => {
    expect(validateGatewayResources(resources).failures).toEqual([]);
  });

  it("answers a browser's preflight for a GET-only rule from the CORS filter, never the backend", () => {
    const e = ask("OPTIONS", "/api/items", preflight("https://shop.example.com"));
    expect(e.steps.find((s) => s.rule === "route")?.chosen).toBe("httproute/default/api/rule/0/match/0/cors-preflight");
    expect(e.origin).toEqual({ kind: "HTTPRoute", namespace: "default", name: "api", rule: 0, match: 0 });
    expect(e.outcome).toEqual({
      kind: "response",
      status: 200,
      reason: "the CORS filter answers the preflight: origin https://shop.example.com is allowed (methods GET,POST, headers Authorization)",
    });
  });

  it("answers a preflight from an origin that is not allowed without CORS headers instead of forwarding it", () => {
    const e = ask("OPTIONS", "/api", preflight("https://example.com.evil.org"));
    expect(e.outcome).toMatchObject({ kind: "response", status: 200 });
    expect(e.outcome.kind === "response" && e.outcome.reason).toMatch(/not allowed/);
  });

  it("leaves other requests to the rules: the GET itself, and a plain OPTIONS to the route that asks for it", () => {
    expect(ask("GET", "/api", preflight("https://shop.example.com")).steps.find((s) => s.rule === "route")?.chosen).toBe(
      "httproute/default/api/rule/0/match/0",
    );
    const plain = ask("OPTIONS", "/api", []);
    expect(plain.steps.find((s) => s.rule === "route")?.chosen).toBe("httproute/default/options/rule/0/match/0");
    expect(plain.outcome.kind).toBe("forwarded");
  });

  it("sends each method's preflight to the rule of that method, with that rule's CORS policy", () => {
    const put: [string, string][] = [
      ["origin", "https://admin.example.com"],
      ["access-control-request-method", "PUT"],
    ];
    const e = ask("OPTIONS", "/api", put);
    expect(e.steps.find((s) => s.rule === "route")?.chosen).toBe("httproute/default/api-put/rule/0/match/0/cors-preflight");
    expect(e.outcome).toEqual({ kind: "response", status: 200, reason: "the CORS filter answers the preflight: origin https://admin.example.com is allowed" });
  });

  it("keeps the rule's path and query parameters: a header-matched rule's preflight needs ?tenant=a", () => {
    const ok = ask("OPTIONS", "/v2?tenant=a", preflight("https://app.example.com"));
    expect(ok.steps.find((s) => s.rule === "route")?.chosen).toBe("httproute/default/api/rule/2/match/0/cors-preflight");
    expect(ok.outcome).toMatchObject({ kind: "response", status: 200 });
    expect(ask("OPTIONS", "/v2?tenant=b", preflight("https://app.example.com")).outcome).toMatchObject({ kind: "response", status: 404 });
  });

  it("answers a preflight from an origin that is not allowed on a rule without method match too, instead of forwarding it", () => {
    const ir = loadIR("http-cors-preflight");
    irRoutes(ir).find((r) => r.name === "httproute/default/api/rule/1/match/0")!.cors!.allowOrigins = ["https://app.example.com"];
    const restricted = build(ir);
    const e = explainRequest(
      { ...config, routeConfigurations: restricted.routes.map((r) => r.json) },
      request({ port: 10080, host: "api.example.com", method: "OPTIONS", path: "/open", headers: preflight("https://anyone.example") }),
    );
    expect(e.steps.find((s) => s.rule === "route")?.chosen).toBe("httproute/default/api/rule/1/match/0");
    expect(e.outcome).toMatchObject({ kind: "response", status: 200, reason: expect.stringMatching(/without CORS headers: origin https:\/\/anyone.example is not allowed/) });
    const routes = routesByName(resources);
    const policy = (name: string) => (routes.get(name)!.typed_per_filter_config as JsonObject)["envoy.filters.http.cors"] as JsonObject;
    expect(policy("httproute/default/api/rule/0/match/0/cors-preflight").forward_not_matching_preflights).toBe(false);
    expect(policy("httproute/default/api/rule/0/match/0").forward_not_matching_preflights).toBe(false);
  });
});

describe("CORS origins", () => {
  const allows = (configured: string, origin: string) => stringMatches(originMatcher(configured), origin);

  it("a leading * stands for one or more DNS labels, nothing else", () => {
    expect(allows("https://*.example.com", "https://a.example.com")).toBe(true);
    expect(allows("https://*.example.com", "https://a.b.example.com")).toBe(true);
    expect(allows("https://*.example.com", "https://example.com")).toBe(false);
    expect(allows("https://*.example.com", "https://a.example.com.evil.org")).toBe(false);
    expect(allows("https://*.example.com", "https://evil.org/.example.com")).toBe(false);
    expect(allows("https://*.example.com", "http://a.example.com")).toBe(false);
    expect(allows("https://*.example.com", "https://a.example.com:8443")).toBe(false);
  });

  it("compares with the browser's serialization: lowercase, without the scheme's default port", () => {
    expect(originMatcher("https://App.Example.org:443")).toEqual({ exact: "https://app.example.org" });
    expect(originMatcher("http://localhost:80")).toEqual({ exact: "http://localhost" });
    expect(originMatcher("http://localhost:8080")).toEqual({ exact: "http://localhost:8080" });
    expect(allows("https://*.example.com:443", "https://a.example.com")).toBe(true);
    expect(allows("http://*.example.com:8080", "http://a.example.com:8080")).toBe(true);
    expect(allows("http://*.example.com:8080", "http://a.example.com")).toBe(false);
  });

  it("a host of * alone takes any host on the port, and * alone any origin", () => {
    expect(allows("https://*", "https://x.y")).toBe(true);
    expect(allows("https://*", "https://[::1]")).toBe(true);
    expect(allows("https://*", "https://x.y:8443")).toBe(false);
    expect(allows("*", "null")).toBe(true);
  });
});
