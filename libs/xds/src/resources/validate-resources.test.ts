import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { GatewayIR, HTTPFilterChain } from "@gatehouse/ir";
import { decodeResource, encodeResource } from "../proto/resource-codec";
import { allResources, buildGatewayResources, type GatewayResources } from "./gateway-resources";
import { validateGatewayResources } from "./validate-resources";
import type { JsonObject } from "./json";

const TESTDATA = path.join(import.meta.dirname, "testdata");
const cases = readdirSync(TESTDATA)
  .filter((f) => f.endsWith(".in.json"))
  .map((f) => f.slice(0, -".in.json".length))
  .sort();
const loadIR = (name: string) => JSON.parse(readFileSync(path.join(TESTDATA, `${name}.in.json`), "utf8")) as GatewayIR;
const build = (ir: GatewayIR) => buildGatewayResources(ir, { ipFamily: "DualStack" });

function httpChain(ir: GatewayIR): HTTPFilterChain {
  return ir.listeners[0].filterChains[0] as HTTPFilterChain;
}

describe("every produced resource", () => {
  for (const name of cases) {
    it(`passes validation and round-trips (${name})`, () => {
      const resources = build(loadIR(name));
      const result = validateGatewayResources(resources);
      expect(result.failures).toEqual([]);
      expect(result.valid).toEqual(resources);
      for (const encoded of result.encoded) {
        const decoded = decodeResource(encoded.typeUrl, encoded.bytes);
        const again = encodeResource(encoded.typeUrl, decoded);
        expect(again.name).toBe(encoded.name);
        expect(Buffer.from(again.bytes).equals(Buffer.from(encoded.bytes))).toBe(true);
        expect(again.version).toBe(encoded.version);
      }
    });
  }
});

describe("versions", () => {
  it("are content hashes: only a changed resource gets a new version", () => {
    const ir = loadIR("https-sni");
    const before = versions(build(ir));
    expect(versions(build(structuredClone(ir)))).toEqual(before);
    const changed = structuredClone(ir);
    (changed.listeners[0].filterChains[0] as HTTPFilterChain).virtualHosts[0].routes[0].timeouts = { requestMs: 5000 };
    const after = versions(build(changed));
    const differing = Object.keys(before).filter((k) => before[k] !== after[k]);
    expect(differing).toEqual(["default/gw/https-443-a"]);
  });
});

function versions(resources: GatewayResources): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of validateGatewayResources(resources).encoded) out[r.name] = r.version;
  return out;
}

describe("broken resources are caught and mapped back to their source", () => {
  it("drops only the route with an invalid regex and names its HTTPRoute rule", () => {
    const ir = loadIR("http-matches");
    httpChain(ir).virtualHosts[0].routes[1].match.path = { type: "RegularExpression", value: "/v[0-9+/(" };
    const result = validateGatewayResources(build(ir));
    expect(result.failures).toEqual([
      {
        resourceName: "default/gw/http-80",
        typeUrl: "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
        source: { kind: "HTTPRoute", namespace: "default", name: "m", ruleIndex: 1, matchIndex: 0 },
        listeners: undefined,
        irName: "httproute/default/m/rule/1/match/0",
        dropped: "part",
        issues: [expect.objectContaining({ path: "virtual_hosts[0].routes[1].match.safe_regex.regex", rule: "regex.re2" })],
      },
    ]);
    const kept = (result.valid.routes[0].json.virtual_hosts as { routes: JsonObject[] }[])[0].routes.map((r) => r.name);
    expect(kept).toEqual([
      "httproute/default/m/rule/0/match/0",
      "httproute/default/m/rule/2/match/0",
      "httproute/default/m/rule/3/match/0",
    ]);
    expect(result.valid.listeners).toHaveLength(1);
  });

  it("reports two broken routes in one virtual host and keeps the rest", () => {
    const ir = loadIR("http-matches");
    const routes = httpChain(ir).virtualHosts[0].routes;
    routes[0].match.headers = [{ name: "x", type: "RegularExpression", value: "(" }];
    routes[2].match.queryParams = [{ name: "q", type: "RegularExpression", value: "[" }];
    const result = validateGatewayResources(build(ir));
    expect(result.failures.map((f) => f.irName)).toEqual(["httproute/default/m/rule/0/match/0", "httproute/default/m/rule/2/match/0"]);
    const kept = (result.valid.routes[0].json.virtual_hosts as { routes: JsonObject[] }[])[0].routes.map((r) => r.name);
    expect(kept).toEqual(["httproute/default/m/rule/1/match/0", "httproute/default/m/rule/3/match/0"]);
  });

  it("cuts out a virtual host with a duplicate domain and keeps the first one", () => {
    const ir = loadIR("http-matches");
    const chain = httpChain(ir);
    const copy = structuredClone(chain.virtualHosts[0]);
    chain.virtualHosts.push({ ...copy, name: "again" }, { ...structuredClone(copy), name: "other", domains: ["other.example.com"] });
    chain.virtualHosts[1].routes[0].match.path = { type: "RegularExpression", value: "(" };
    const result = validateGatewayResources(build(ir));
    // The broken route inside the removed virtual host is reported too: its HTTPRoute is wrong either way.
    expect(result.failures.map((f) => [f.irName, f.dropped, f.issues[0].rule])).toEqual([
      ["httproute/default/m/rule/0/match/0", "part", "regex.re2"],
      ["again", "part", "envoy.unique_domains"],
    ]);
    const hosts = (result.valid.routes[0].json.virtual_hosts as JsonObject[]).map((v) => v.name);
    expect(hosts).toEqual(["matches", "other"]);
    expect(result.valid.routes[0].origins?.filter((o) => o.path.length === 2).map((o) => o.path)).toEqual([
      ["virtual_hosts", 0],
      ["virtual_hosts", 1],
    ]);
  });

  it.each([0, 70000])("drops a listener on port %i and names its Gateway listeners", (port) => {
    const ir = loadIR("tls-tcp");
    ir.listeners[2].containerPort = port;
    const result = validateGatewayResources(build(ir));
    expect(result.failures).toEqual([
      expect.objectContaining({
        resourceName: "default/gw/tls-8443",
        listeners: ["default/gw/passthrough", "default/gw/terminate"],
        dropped: "resource",
        issues: [expect.objectContaining({ path: "address.socket_address.port_value" })],
      }),
    ]);
    expect(result.valid.listeners.map((l) => l.name)).toEqual(["default/gw/tcp-5432", "default/gw/tcp-6379"]);
  });

  it("drops a cluster with an empty name, and the route that points at it", () => {
    const ir = loadIR("http-basic");
    ir.clusters[0].name = "";
    httpChain(ir).virtualHosts[0].routes[0].destination = { clusters: [{ cluster: "", weight: 1 }], invalidWeight: 0 };
    const result = validateGatewayResources(build(ir));
    expect(result.failures.map((f) => [f.typeUrl.split(".").pop(), f.irName ?? f.resourceName, f.dropped])).toEqual([
      ["RouteConfiguration", "httproute/default/echo/rule/0/match/0", "part"],
      ["Cluster", "", "resource"],
    ]);
    expect(result.valid.clusters).toEqual([]);
  });

  it("names the BackendTLSPolicy of a cluster whose upstream TLS is rejected", () => {
    const ir = loadIR("upstream");
    // SNI is at most 255 bytes.
    ir.clusters[0].tls = { sni: `${"a".repeat(300)}.internal`, caCertificates: "pem", subjectAltNames: [] };
    const resources = build(ir);
    const result = validateGatewayResources(resources);
    expect(result.failures).toEqual([
      expect.objectContaining({ resourceName: "default/secure/443", policy: "default/secure-tls", dropped: "resource" }),
    ]);
  });

  it("cuts out a filter chain whose HttpConnectionManager has an empty stat_prefix", () => {
    const resources = build(loadIR("https-sni"));
    const hcm = filterOf(resources, 1);
    hcm.stat_prefix = "";
    const result = validateGatewayResources(resources);
    expect(result.failures).toEqual([
      expect.objectContaining({
        resourceName: "default/gw/https-443",
        irName: "default/gw/https-wild",
        listeners: ["default/gw/https-wild"],
        dropped: "part",
        issues: [expect.objectContaining({ path: "filter_chains[1].filters[0].typed_config.stat_prefix" })],
      }),
    ]);
    expect((result.valid.listeners[0].json.filter_chains as JsonObject[]).map((c) => c.name)).toEqual(["default/gw/https-a"]);
  });

  it("catches a missing required oneof inside typed_config", () => {
    const resources = build(loadIR("https-sni"));
    delete filterOf(resources, 0).rds;
    const result = validateGatewayResources(resources);
    expect(result.failures).toEqual([
      expect.objectContaining({
        irName: "default/gw/https-a",
        issues: [expect.objectContaining({ rule: "oneof.required" })],
      }),
    ]);
  });

  it("drops a listener whose every filter chain is broken (Envoy rejects listeners without chains)", () => {
    const resources = build(loadIR("http-basic"));
    filterOf(resources, 0).stat_prefix = "";
    const result = validateGatewayResources(resources);
    expect(result.valid.listeners).toEqual([]);
    expect(result.failures.map((f) => f.dropped)).toEqual(["resource"]);
    expect(allResources(result.valid).map((r) => r.typeUrl.split(".").pop())).toEqual(["RouteConfiguration", "Cluster"]);
  });
});

function filterOf(resources: GatewayResources, chain: number): JsonObject {
  const chains = resources.listeners[0].json.filter_chains as { filters: { typed_config: JsonObject }[] }[];
  return chains[chain].filters[0].typed_config;
}
