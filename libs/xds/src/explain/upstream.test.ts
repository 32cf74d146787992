import { describe, expect, it } from "vitest";
import type { JsonObject } from "../resources/json";
import { explainRequest } from "./explain";
import { assignment, httpConfig, request } from "./testdata/configs";

const vhosts = (action: JsonObject) => [{ name: "app", domains: ["*"], routes: [{ name: "httproute/default/web/rule/1/match/0", match: { prefix: "/" }, route: action }] }];

describe("Envoy upstream selection", () => {
  it("weighted clusters: each backend's share, endpoints with health, and the HTTPRoute rule it came from", () => {
    const config = httpConfig(vhosts({ weighted_clusters: { clusters: [{ name: "a", weight: 90 }, { name: "b", weight: 10 }] } }), ["a", "b"], [
      assignment("a", [["10.0.0.1", 8080, "HEALTHY"], ["10.0.0.2", 8080, "DRAINING"]]),
      assignment("b", [["fd00::1", 8080, "HEALTHY"]]),
    ]);
    const e = explainRequest(config, request());
    expect(e.origin).toEqual({ kind: "HTTPRoute", namespace: "default", name: "web", rule: 1, match: 0 });
    expect(e.outcome).toEqual({
      kind: "forwarded",
      upstreamPath: "/",
      upstreamHost: "app.example.com",
      reason: "requests split by weight over 2 clusters",
      backends: [
        { cluster: "a", weight: 90, percent: 90, endpoints: [{ address: "10.0.0.1:8080", health: "HEALTHY" }, { address: "10.0.0.2:8080", health: "DRAINING" }] },
        { cluster: "b", weight: 10, percent: 10, endpoints: [{ address: "[fd00::1]:8080", health: "HEALTHY" }] },
      ],
    });
  });

  it("no healthy endpoint: 503 (Gateway API: a Service without ready endpoints)", () => {
    const config = httpConfig(vhosts({ cluster: "a" }), ["a"], [assignment("a", [])]);
    const e = explainRequest(config, request());
    expect(e.outcome).toEqual({ kind: "response", status: 503, reason: "cluster a has no endpoints (no ready Pod behind the Service): Envoy answers 503 no healthy upstream" });
  });

  it("a weight on a cluster that does not exist answers cluster_not_found_response_code (500 for invalid backends)", () => {
    const action = { weighted_clusters: { clusters: [{ name: "a", weight: 3 }, { name: "gatehouse/invalid-backend", weight: 1 }] }, cluster_not_found_response_code: "INTERNAL_SERVER_ERROR" };
    const e = explainRequest(httpConfig(vhosts(action), ["a"]), request());
    expect(e.outcome.kind).toBe("forwarded");
    expect(e.outcome.kind === "forwarded" && e.outcome.reason).toBe(
      "25% of requests fail (cluster gatehouse/invalid-backend is not in CDS (an invalid or missing backend): Envoy answers 500)",
    );
  });

  it("a rule with no valid backend answers 500 directly", () => {
    const config = httpConfig([{ name: "app", domains: ["*"], routes: [{ name: "r", match: { prefix: "/" }, direct_response: { status: 500 } }] }]);
    expect(explainRequest(config, request()).outcome).toEqual({ kind: "response", status: 500, reason: "the route answers directly: its rule has no valid backend (Gateway API: 500)" });
  });

  it("a TCP proxy chain forwards the connection without HTTP routing", () => {
    const config = httpConfig([], ["t"]);
    config.listeners = [
      { name: "l", address: { socket_address: { address: "::", port_value: 5432 } }, filter_chains: [{ name: "tcp", filters: [{ name: "envoy.filters.network.tcp_proxy", typed_config: { cluster: "t" } }] }] },
    ];
    const e = explainRequest(config, request({ port: 5432 }));
    expect(e.outcome).toMatchObject({ kind: "tcp-forwarded", reason: "all connections go to t" });
  });
});
