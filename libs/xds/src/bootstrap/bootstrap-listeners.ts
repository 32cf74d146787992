// Static listeners of every proxy: readiness (/ready) and Prometheus stats. Both forward one
// exact path, GET only, to the admin interface on loopback, so admin itself (which can stop
// Envoy) is never reachable from outside. The admin /ready answers 200 only once Envoy is
// live, that is after the first configuration arrived and listeners warmed.
import type { IPFamily } from "@gatehouse/ir";
import { typedConfig, type JsonObject } from "../resources/json";
import { listenerAddress } from "../resources/socket-address";
import { routerFilter } from "../resources/http-filters/router-filter";

const HCM_TYPE = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
export const ADMIN_CLUSTER = "gatehouse_admin";
export const READINESS_PATH = "/ready";
export const STATS_PATH = "/stats/prometheus";

export function readinessListener(port: number, family: IPFamily): JsonObject {
  return adminPathListener("gatehouse_readiness", port, family, READINESS_PATH);
}

export function statsListener(port: number, family: IPFamily): JsonObject {
  return adminPathListener("gatehouse_stats", port, family, STATS_PATH);
}

function adminPathListener(name: string, port: number, family: IPFamily, path: string): JsonObject {
  const routeConfig = {
    name,
    virtual_hosts: [
      {
        name,
        domains: ["*"],
        routes: [
          {
            match: { path, headers: [{ name: ":method", string_match: { exact: "GET" } }] },
            route: { cluster: ADMIN_CLUSTER, timeout: "5s" },
          },
        ],
      },
    ],
  };
  return {
    name,
    address: listenerAddress(port, family),
    filter_chains: [
      {
        filters: [
          {
            name: "envoy.filters.network.http_connection_manager",
            typed_config: typedConfig(HCM_TYPE, {
              stat_prefix: name,
              route_config: routeConfig,
              http_filters: [{ name: routerFilter.name, typed_config: routerFilter.config() }],
            }),
          },
        ],
      },
    ],
  };
}
