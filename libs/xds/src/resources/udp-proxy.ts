// UDP listeners: the udp_proxy listener filter with a matcher whose only action routes to
// the UDPRoute's cluster. udp_proxy has no weighted clusters: with several backends, the one
// with the highest weight (first on a tie) takes all datagrams; with none, datagrams go to
// INVALID_BACKEND_CLUSTER and are dropped.
import type { UDPAction } from "@gatehouse/ir";
import { typedConfig, type JsonObject } from "./json";
import { INVALID_BACKEND_CLUSTER } from "./names";

const UDP_PROXY_TYPE = "envoy.extensions.filters.udp.udp_proxy.v3.UdpProxyConfig";
const UDP_ROUTE_TYPE = "envoy.extensions.filters.udp.udp_proxy.v3.Route";

export function udpProxyListenerFilter(statPrefixValue: string, udp: UDPAction | undefined): JsonObject {
  return {
    name: "envoy.filters.udp_listener.udp_proxy",
    typed_config: typedConfig(UDP_PROXY_TYPE, {
      stat_prefix: statPrefixValue,
      matcher: {
        on_no_match: { action: { name: "route", typed_config: typedConfig(UDP_ROUTE_TYPE, { cluster: udpCluster(udp) }) } },
      },
    }),
  };
}

/** The cluster that gets the datagrams (see the module comment for why only one). */
export function udpCluster(udp: UDPAction | undefined): string {
  let best: { cluster: string; weight: number } | undefined;
  for (const c of udp?.destination?.clusters ?? []) {
    if (c.weight > 0 && (!best || c.weight > best.weight)) best = c;
  }
  return best?.cluster ?? INVALID_BACKEND_CLUSTER;
}
