import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { GatewayIR, IPFamily } from "@gatehouse/ir";
import { buildGatewayResources, type GatewayResources } from "./gateway-resources";
import { formatGolden, golden } from "./golden";

const TESTDATA = path.join(import.meta.dirname, "testdata");
const cases = readdirSync(TESTDATA)
  .filter((f) => f.endsWith(".in.json"))
  .map((f) => f.slice(0, -".in.json".length))
  .sort();

export function loadIR(name: string): GatewayIR {
  return JSON.parse(readFileSync(path.join(TESTDATA, `${name}.in.json`), "utf8")) as GatewayIR;
}

/** The golden form: every resource as an Any, the way Envoy's config dump prints it. */
function dumpForm(resources: GatewayResources): unknown {
  const withType = (list: GatewayResources["listeners"]) => list.map((r) => ({ "@type": r.typeUrl, ...r.json }));
  return {
    listeners: withType(resources.listeners),
    routes: withType(resources.routes),
    clusters: withType(resources.clusters),
    secrets: withType(resources.secrets),
  };
}

describe("buildGatewayResources", () => {
  it("has golden cases", () => expect(cases.length).toBeGreaterThanOrEqual(8));

  it.each(cases)("turns the %s IR into the golden Envoy resources", (name) => {
    const actual = formatGolden(dumpForm(buildGatewayResources(loadIR(name), { ipFamily: "IPv4" })));
    expect(actual).toBe(golden(path.join(TESTDATA, `${name}.out.json`), actual));
  });

  it.each(cases)("gives byte-identical output for the same %s IR", (name) => {
    const first = JSON.stringify(buildGatewayResources(loadIR(name), { ipFamily: "IPv4" }));
    const again = JSON.stringify(buildGatewayResources(structuredClone(loadIR(name)), { ipFamily: "IPv4" }));
    expect(again).toBe(first);
  });

  it("sorts every resource list by name whatever the IR order", () => {
    const ir = loadIR("tls-tcp");
    const reversed: GatewayIR = { ...ir, listeners: [...ir.listeners].reverse(), clusters: [...ir.clusters].reverse() };
    const a = buildGatewayResources(ir, { ipFamily: "IPv4" });
    const b = buildGatewayResources(reversed, { ipFamily: "IPv4" });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    for (const list of [a.listeners, a.routes, a.clusters, a.secrets]) {
      expect(list.map((r) => r.name)).toEqual(list.map((r) => r.name).sort());
    }
  });

  it("prefixes listener and route configuration names with the gateway key", () => {
    const res = buildGatewayResources(loadIR("https-sni"), { ipFamily: "IPv4" });
    expect(res.listeners.map((l) => l.name)).toEqual(["default/gw/https-443"]);
    expect(res.routes.map((r) => r.name)).toEqual(["default/gw/https-443-a", "default/gw/https-443-wild"]);
    const other = buildGatewayResources({ ...loadIR("https-sni"), gateway: { namespace: "team", name: "edge" } }, { ipFamily: "IPv4" });
    expect(other.listeners.map((l) => l.name)).toEqual(["team/edge/https-443"]);
  });
});

describe("listener addresses by IP family", () => {
  const expected: Record<IPFamily, object> = {
    IPv4: { address: "0.0.0.0", port_value: 10080 },
    IPv6: { address: "::", port_value: 10080 },
    DualStack: { address: "::", port_value: 10080, ipv4_compat: true },
  };
  it.each(Object.keys(expected) as IPFamily[])("binds %s listeners to the family's any-address", (family) => {
    const res = buildGatewayResources(loadIR("http-basic"), { ipFamily: family });
    expect(res.listeners[0].json.address).toEqual({ socket_address: expected[family] });
  });

  it("uses the IR's family over the default, for UDP too", () => {
    const res = buildGatewayResources(loadIR("udp"), { ipFamily: "IPv4" });
    expect(res.listeners.map((l) => l.json.address)).toEqual([
      { socket_address: { protocol: "UDP", address: "::", port_value: 5000 } },
      { socket_address: { protocol: "UDP", address: "::", port_value: 10053 } },
    ]);
  });
});

describe("resource shapes", () => {
  const find = (list: { name: string; json: Record<string, unknown> }[], name: string) => list.find((r) => r.name === name)!.json;

  it("answers invalid backends' share with 500 and all-invalid routes with a direct 500", () => {
    const rc = find(buildGatewayResources(loadIR("http-weighted"), { ipFamily: "IPv4" }).routes, "default/gw/http-80");
    const routes = (rc.virtual_hosts as { routes: Record<string, unknown>[] }[])[0].routes;
    expect(routes[1].route).toEqual({
      cluster_not_found_response_code: "INTERNAL_SERVER_ERROR",
      weighted_clusters: {
        clusters: [
          { name: "default/echo/8080", weight: 3 },
          { name: "gatehouse/invalid-backend", weight: 1 },
        ],
      },
    });
    expect(routes[2].direct_response).toEqual({ status: 500 });
    expect(routes[3].direct_response).toEqual({ status: 500 });
  });

  it("routes UDP to the heaviest backend and drops datagrams without one", () => {
    const res = buildGatewayResources(loadIR("udp"), { ipFamily: "IPv4" });
    const clusterOf = (name: string) =>
      JSON.stringify(find(res.listeners, name)).match(/"cluster":"([^"]+)"/)?.[1];
    expect(clusterOf("default/gw/udp-53")).toBe("default/coredns-b/53");
    expect(clusterOf("default/gw/udp-5000")).toBe("gatehouse/invalid-backend");
  });

  it("asks TLS-terminating TCP chains for a client certificate when the Gateway validates clients; passthrough never", () => {
    const res = buildGatewayResources(loadIR("frontend-mtls"), { ipFamily: "IPv4" });
    const socket = (listener: string) => (find(res.listeners, listener).filter_chains as Record<string, unknown>[])[0].transport_socket as
      | { typed_config: Record<string, unknown> }
      | undefined;
    const terminate = socket("default/gw/tcp-6443")!.typed_config;
    expect(terminate.require_client_certificate).toBe(true);
    expect(terminate.common_tls_context).toMatchObject({
      validation_context: { trusted_ca: { inline_string: expect.stringContaining("-----BEGIN CERTIFICATE-----") } },
    });
    expect(JSON.stringify(terminate)).not.toContain("ACCEPT_UNTRUSTED");
    // AllowInsecureFallback (the HTTPS listener on 8443): asked for, not required, not verified.
    const insecure = socket("default/gw/tcp-8443")!.typed_config;
    expect(insecure.require_client_certificate).toBe(false);
    expect(insecure.common_tls_context).toMatchObject({ validation_context: { trust_chain_verification: "ACCEPT_UNTRUSTED" } });
    expect(socket("default/gw/tcp-7443")).toBeUndefined();
  });

  it("adds tls_inspector only to listeners that match on SNI or TLS", () => {
    const res = buildGatewayResources(loadIR("tls-tcp"), { ipFamily: "IPv4" });
    expect(res.listeners.map((l) => l.json.listener_filters !== undefined)).toEqual([false, false, true]);
  });
});
