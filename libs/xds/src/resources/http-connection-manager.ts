// The HttpConnectionManager network filter of an HTTP filter chain. Routes come by RDS over
// ADS, so a route change never touches the Listener (and never drains its connections).
import { typedConfig, type JsonObject } from "./json";
import { adsConfigSource } from "./config-source";
import { httpFilterChain } from "./http-filters/registry";

const HCM_TYPE = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

export function httpConnectionManager(statPrefixValue: string, routeConfigName: string): JsonObject {
  return {
    name: "envoy.filters.network.http_connection_manager",
    typed_config: typedConfig(HCM_TYPE, {
      stat_prefix: statPrefixValue,
      rds: { config_source: adsConfigSource(), route_config_name: routeConfigName },
      http_filters: httpFilterChain(),
      // The client address is the real peer: a gateway is the edge.
      use_remote_address: true,
      // Match on the normalized path, as backends will see it.
      normalize_path: true,
      merge_slashes: true,
      path_with_escaped_slashes_action: "UNESCAPE_AND_REDIRECT",
    }),
  };
}
