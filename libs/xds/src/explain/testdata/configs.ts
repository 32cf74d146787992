// Small Envoy configurations for the explain tests, in the shape Gatehouse generates
// (a wildcard listener per port, an HCM with RDS, EDS clusters).
import type { JsonObject } from "../../resources/json";
import type { EnvoyConfig, ExplainRequest } from "../types";

export function hcmChain(name: string, routeConfigName: string, match?: JsonObject): JsonObject {
  return {
    name,
    ...(match ? { filter_chain_match: match } : {}),
    filters: [
      {
        name: "envoy.filters.network.http_connection_manager",
        typed_config: { rds: { route_config_name: routeConfigName }, normalize_path: true, merge_slashes: true, path_with_escaped_slashes_action: "UNESCAPE_AND_REDIRECT" },
      },
    ],
  };
}

export function listener(name: string, port: number, chains: JsonObject[]): JsonObject {
  return { name, address: { socket_address: { address: "0.0.0.0", port_value: port } }, filter_chains: chains };
}

export function routeConfig(name: string, virtualHosts: JsonObject[]): JsonObject {
  return { name, virtual_hosts: virtualHosts, ignore_port_in_host_matching: true };
}

export function edsCluster(name: string): JsonObject {
  return { name, type: "EDS", eds_cluster_config: { service_name: name } };
}

export function assignment(cluster: string, endpoints: [string, number, string][]): JsonObject {
  return {
    cluster_name: cluster,
    endpoints: [{ lb_endpoints: endpoints.map(([address, port, health]) => ({ endpoint: { address: { socket_address: { address, port_value: port } } }, health_status: health })) }],
  };
}

/** One HTTP listener on 8080 with one route configuration. */
export function httpConfig(virtualHosts: JsonObject[], clusters: string[] = ["default/web/80"], endpoints?: JsonObject[]): EnvoyConfig {
  return {
    listeners: [listener("default/eg/tcp-8080", 8080, [hcmChain("default/eg/http-8080", "default/eg/http-8080")])],
    routeConfigurations: [routeConfig("default/eg/http-8080", virtualHosts)],
    clusters: clusters.map(edsCluster),
    loadAssignments: endpoints ?? clusters.map((c) => assignment(c, [["10.0.0.1", 8080, "HEALTHY"]])),
  };
}

export function request(overrides: Partial<ExplainRequest> = {}): ExplainRequest {
  return { port: 8080, tls: false, host: "app.example.com", path: "/", method: "GET", headers: [], ...overrides };
}
