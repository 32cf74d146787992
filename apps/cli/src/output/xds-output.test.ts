import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resourceSetFrom, translate } from "@gatehouse/gatewayapi";
import { collectManifests } from "@gatehouse/kube";
import { parse, parseAllDocuments } from "yaml";
import type { GatewayIR } from "@gatehouse/ir";
import { renderXdsOutput, type XdsOutputResources } from "./xds-output";

const KEY = "-----BEGIN PRIVATE KEY-----\nMIIEsecret\n-----END PRIVATE KEY-----\n";

function ir(regex = "/api/v[0-9]+"): GatewayIR {
  return {
    schemaVersion: 1,
    gateway: { namespace: "default", name: "gw" },
    gatewayClassName: "gatehouse",
    listeners: [
      {
        name: "https-443",
        port: 443,
        containerPort: 10443,
        transport: "tcp",
        filterChains: [
          {
            kind: "http",
            name: "default/gw/https",
            sources: ["default/gw/https"],
            serverNames: ["example.com"],
            tls: { certificates: ["default/cert"], alpnProtocols: ["h2", "http/1.1"] },
            routeConfigName: "https-443",
            virtualHosts: [
              {
                name: "example.com",
                domains: ["example.com"],
                routes: [
                  {
                    name: "httproute/default/api/rule/0/match/0",
                    source: { kind: "HTTPRoute", namespace: "default", name: "api", ruleIndex: 0, matchIndex: 0 },
                    match: { path: { type: "RegularExpression", value: regex }, headers: [], queryParams: [] },
                    destination: { clusters: [{ cluster: "default/api/80", weight: 1 }], invalidWeight: 0 },
                  },
                  {
                    name: "httproute/default/api/rule/1/match/0",
                    source: { kind: "HTTPRoute", namespace: "default", name: "api", ruleIndex: 1, matchIndex: 0 },
                    match: { path: { type: "PathPrefix", value: "/" }, headers: [], queryParams: [] },
                    directResponse: { status: 404 },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    clusters: [
      {
        name: "default/api/80",
        service: { namespace: "default", name: "api", port: 80, portName: "http", targetPort: 9001 },
        protocol: "http1",
        connectTimeoutMs: 5000,
      },
    ],
    secrets: [{ name: "default/cert", certificateChain: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", privateKey: KEY }],
    infrastructure: { labels: {}, annotations: {}, addresses: [] },
  };
}

function resources(): XdsOutputResources {
  const slice = (name: string, addressType: string, address: string) => ({
    metadata: { namespace: "default", name, labels: { "kubernetes.io/service-name": "api" } },
    addressType,
    ports: [{ name: "http", port: 9001 }],
    endpoints: [{ addresses: [address], conditions: { ready: true, serving: true, terminating: false }, zone: "z1" }],
  });
  return {
    slicesByService: new Map([["default/api", [slice("api-v4", "IPv4", "10.0.0.7"), slice("api-v6", "IPv6", "fd00::7")]]]),
  };
}

describe("translate --output xds", () => {
  it("prints a config dump per Gateway with endpoints from the slices and redacted keys", () => {
    const text = renderXdsOutput({ irs: [{ ...ir(), ipFamily: "IPv4" }] }, resources(), "json");
    expect(text).not.toContain("MIIEsecret");
    const [doc] = JSON.parse(text);
    expect(doc.gateway).toBe("default/gw");
    expect(doc.ipFamily).toBe("IPv4");
    expect(doc.failures).toBeUndefined();
    expect(doc.configs.map((c: { "@type": string }) => c["@type"].split(".").pop())).toEqual([
      "ClustersConfigDump",
      "EndpointsConfigDump",
      "ListenersConfigDump",
      "RoutesConfigDump",
      "SecretsConfigDump",
    ]);
    const [clusters, endpoints, listeners, routes, secrets] = doc.configs;
    expect(clusters.dynamic_active_clusters[0].cluster["@type"]).toBe("type.googleapis.com/envoy.config.cluster.v3.Cluster");
    expect(clusters.dynamic_active_clusters[0].version_info).toMatch(/^[0-9a-f]{16}$/);
    expect(endpoints.dynamic_endpoint_configs[0].endpoint_config).toEqual({
      "@type": "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
      cluster_name: "default/api/80",
      endpoints: [
        {
          locality: { zone: "z1" },
          lb_endpoints: [{ endpoint: { address: { socket_address: { address: "10.0.0.7", port_value: 9001 } } }, health_status: "HEALTHY" }],
        },
      ],
    });
    expect(listeners.dynamic_listeners[0].name).toBe("default/gw/https-443");
    expect(routes.dynamic_route_configs[0].route_config.name).toBe("default/gw/https-443");
    expect(secrets.dynamic_active_secrets[0].secret.tls_certificate.private_key).toEqual({ inline_string: "[redacted]" });
  });

  it("builds listeners and picks endpoints by the IP family the IR carries", () => {
    const [doc] = JSON.parse(renderXdsOutput({ irs: [{ ...ir(), ipFamily: "IPv6" }] }, resources(), "json"));
    expect(doc.ipFamily).toBe("IPv6");
    const listener = doc.configs[2].dynamic_listeners[0].active_state.listener;
    expect(listener.address.socket_address.address).toBe("::");
    expect(doc.configs[1].dynamic_endpoint_configs[0].endpoint_config.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address).toBe(
      "fd00::7",
    );
  });

  it("leaves out a route Envoy would reject and says which HTTPRoute rule it was", () => {
    const [doc] = JSON.parse(renderXdsOutput({ irs: [ir("/api/(")] }, resources(), "json"));
    expect(doc.failures).toEqual([
      expect.objectContaining({
        irName: "httproute/default/api/rule/0/match/0",
        source: { kind: "HTTPRoute", namespace: "default", name: "api", ruleIndex: 0, matchIndex: 0 },
        dropped: "part",
      }),
    ]);
    expect(doc.configs[3].dynamic_route_configs[0].route_config.virtual_hosts[0].routes).toHaveLength(1);
  });

  it("prints one YAML document per Gateway, identical on every run", () => {
    const other = { ...ir(), gateway: { namespace: "team", name: "edge" } };
    const text = renderXdsOutput({ irs: [ir(), other] }, resources(), "yaml");
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    expect(docs.map((d) => d.gateway)).toEqual(["default/gw", "team/edge"]);
    expect(renderXdsOutput({ irs: [ir(), other] }, resources(), "yaml")).toBe(text);
    expect(parse(renderXdsOutput({ irs: [ir()] }, resources(), "yaml").replace(/^---\n/, "")).gateway).toBe("default/gw");
  });
});

describe("translate --output xds on the example manifests", () => {
  it("gives every Gateway valid resources and an assignment per cluster", () => {
    const dir = path.resolve(import.meta.dirname, "../../../../deploy/examples");
    const { objects, errors } = collectManifests(
      readdirSync(dir)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => ({ source: f, text: readFileSync(path.join(dir, f), "utf8") })),
    );
    expect(errors).toEqual([]);
    const resources = resourceSetFrom(objects);
    const gatewayClass = [...resources.gatewayClasses.values()][0] as { spec: { controllerName: string } };
    const result = translate(resources, { controllerName: gatewayClass.spec.controllerName });
    expect(result.irs.length).toBeGreaterThan(0);
    const docs = parseAllDocuments(renderXdsOutput(result, resources, "yaml")).map((d) => d.toJS());
    expect(docs).toHaveLength(result.irs.length);
    for (const [i, doc] of docs.entries()) {
      expect(doc.failures).toBeUndefined();
      const [clusters, endpoints, listeners] = doc.configs;
      expect(listeners.dynamic_listeners.length).toBe(result.irs[i].listeners.length);
      expect(endpoints.dynamic_endpoint_configs.map((e: { endpoint_config: { cluster_name: string } }) => e.endpoint_config.cluster_name)).toEqual(
        clusters.dynamic_active_clusters.map((c: { cluster: { name: string } }) => c.cluster.name),
      );
    }
  });
});
