// Envoy listeners of a Gateway. Gateway API listeners that share a port become one Envoy
// listener here; each keeps its own filter chain (picked by SNI when TLS is involved), so
// xds only maps shapes and never has to merge or resolve conflicts.
import type { HTTPRoute } from "./http-route";
import type { DownstreamTLS } from "./tls";
import type { WeightedClusters } from "./cluster";

export interface Listener {
  /** Unique within the Gateway and stable: used as the Envoy listener name suffix. */
  name: string;
  /** The port clients connect to (the Gateway listener port, and the Service port). */
  port: number;
  /** The port Envoy binds: `port`, moved above 1024 when privileged so Envoy can run unprivileged. */
  containerPort: number;
  transport: "tcp" | "udp";
  /** TCP transport: tried in order by Envoy's filter chain match. Empty for UDP. */
  filterChains: FilterChain[];
  /** UDP transport: where datagrams go. */
  udp?: UDPAction;
}

export type FilterChain = HTTPFilterChain | TCPFilterChain;

interface FilterChainCommon {
  /** Unique within the listener and stable, for example "default/gw/https" (the source Gateway listener). */
  name: string;
  /** The Gateway API listener(s) this chain serves, as "namespace/gateway/listenerName", for status mapping. */
  sources: string[];
  /**
   * SNI names the chain matches (exact or "*.example.com"). Empty: any SNI, or no TLS at all.
   * Sorted, lowercase.
   */
  serverNames: string[];
  /** Present: Envoy terminates TLS on this chain. Absent with `tlsPassthrough`: SNI is only inspected. */
  tls?: DownstreamTLS;
  /** True when the chain matches by SNI but does not terminate (TLS passthrough). */
  tlsPassthrough?: boolean;
}

/** HTTP (plain or terminated TLS): an HttpConnectionManager with its routes delivered by RDS. */
export interface HTTPFilterChain extends FilterChainCommon {
  kind: "http";
  /** Name of the RouteConfiguration this chain uses; unique within the Gateway. */
  routeConfigName: string;
  /** Virtual hosts, most specific hostname first, "*" last. */
  virtualHosts: VirtualHost[];
}

export interface VirtualHost {
  /** Unique within the route configuration. */
  name: string;
  /** Host header values this virtual host serves: one hostname (exact, "*.suffix" or "*"). */
  domains: string[];
  /** Routes in Gateway API precedence order: Envoy takes the first match. */
  routes: HTTPRoute[];
  /**
   * Hosts of other listeners of the port, reached through this listener's TLS server name:
   * every request answers 421 Misdirected Request (routes is then empty).
   */
  misdirected?: boolean;
}

/** TCP proxying (TCPRoute, TLSRoute passthrough or terminate). */
export interface TCPFilterChain extends FilterChainCommon {
  kind: "tcp";
  /** The route that owns this chain, for status mapping ("TLSRoute/ns/name"). */
  routeSource?: RouteSource;
  /** Absent: the route has no valid backend; connections are refused. */
  destination?: WeightedClusters;
}

export interface UDPAction {
  routeSource?: RouteSource;
  sources: string[];
  destination?: WeightedClusters;
}

/** Where an IR object came from, so a failure in xds can be reported on the right object. */
export interface RouteSource {
  kind: "HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute" | "UDPRoute";
  namespace: string;
  name: string;
  ruleIndex?: number;
  matchIndex?: number;
}
