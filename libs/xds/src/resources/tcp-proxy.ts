// The tcp_proxy network filter: TCPRoute, and TLSRoute (passthrough or terminated).
import type { WeightedClusters } from "@gatehouse/ir";
import { typedConfig, type JsonObject } from "./json";
import { tcpDestination } from "./route-destination";

const TCP_PROXY_TYPE = "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";

export function tcpProxyFilter(statPrefixValue: string, destination: WeightedClusters | undefined): JsonObject {
  return {
    name: "envoy.filters.network.tcp_proxy",
    typed_config: typedConfig(TCP_PROXY_TYPE, { stat_prefix: statPrefixValue, ...tcpDestination(destination) }),
  };
}
