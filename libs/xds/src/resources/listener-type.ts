// Listener: one per IR listener (a port and transport). TCP listeners get one filter chain
// per IR chain, matched by SNI (tls_inspector reads it) when TLS is involved; UDP listeners
// carry udp_proxy as a listener filter. Addresses follow the proxy's IP family.
import type { FilterChain, Listener } from "@gatehouse/ir";
import type { JsonObject } from "./json";
import { typedConfig } from "./json";
import { envoyListenerName, envoyRouteConfigName, statPrefix } from "./names";
import { listenerAddress } from "./socket-address";
import { httpConnectionManager } from "./http-connection-manager";
import { downstreamTlsTransportSocket } from "./downstream-tls";
import { tcpProxyFilter } from "./tcp-proxy";
import { udpProxyListenerFilter } from "./udp-proxy";
import { LISTENER_TYPE, type BuildContext, type ResourceOrigin, type EnvoyResource } from "./resource-type";

const TLS_INSPECTOR_TYPE = "envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector";

export function buildListener(listener: Listener, ctx: BuildContext): EnvoyResource {
  const name = envoyListenerName(ctx.gatewayKey, listener.name);
  return listener.transport === "udp" ? udpListener(name, listener, ctx) : tcpListener(name, listener, ctx);
}

function tcpListener(name: string, listener: Listener, ctx: BuildContext): EnvoyResource {
  // The listener as a whole serves every Gateway listener of its chains (a bad port is theirs).
  const origins: ResourceOrigin[] = [
    { path: [], irName: listener.name, listeners: [...new Set(listener.filterChains.flatMap((c) => c.sources))].sort(), prunable: false },
  ];
  const chains = listener.filterChains.map((chain, i) => {
    origins.push({
      path: ["filter_chains", i],
      irName: chain.name,
      listeners: [...chain.sources],
      route: chain.kind === "tcp" ? chain.routeSource : undefined,
      prunable: true,
    });
    return filterChain(chain, listener, ctx);
  });
  const json: JsonObject = { name, address: listenerAddress(listener.containerPort, ctx.ipFamily), filter_chains: chains };
  if (listener.filterChains.some(needsTlsInspector)) {
    json.listener_filters = [{ name: "envoy.filters.listener.tls_inspector", typed_config: typedConfig(TLS_INSPECTOR_TYPE) }];
  }
  return { name, typeUrl: LISTENER_TYPE.typeUrl, json, origins };
}

function udpListener(name: string, listener: Listener, ctx: BuildContext): EnvoyResource {
  const json: JsonObject = {
    name,
    address: listenerAddress(listener.containerPort, ctx.ipFamily, "UDP"),
    listener_filters: [udpProxyListenerFilter(statPrefix("udp", listener.name), listener.udp)],
  };
  const origins: ResourceOrigin[] = [
    { path: [], irName: listener.name, listeners: [...(listener.udp?.sources ?? [])], route: listener.udp?.routeSource, prunable: false },
  ];
  return { name, typeUrl: LISTENER_TYPE.typeUrl, json, origins };
}

function needsTlsInspector(chain: FilterChain): boolean {
  return chain.tls !== undefined || chain.tlsPassthrough === true || chain.serverNames.length > 0;
}

function filterChain(chain: FilterChain, listener: Listener, ctx: BuildContext): JsonObject {
  const out: JsonObject = { name: chain.name };
  const match: JsonObject = {};
  if (chain.serverNames.length > 0) match.server_names = [...chain.serverNames];
  // Lets a port mix TLS chains with a plain one: Envoy picks by transport first.
  if (chain.tls || chain.tlsPassthrough) match.transport_protocol = "tls";
  if (Object.keys(match).length > 0) out.filter_chain_match = match;
  const prefix = statPrefix(chain.kind, listener.name, chain.name);
  out.filters =
    chain.kind === "http"
      ? [httpConnectionManager(prefix, envoyRouteConfigName(ctx.gatewayKey, chain.routeConfigName))]
      : [tcpProxyFilter(prefix, chain.destination)];
  if (chain.tls) out.transport_socket = downstreamTlsTransportSocket(chain.tls);
  return out;
}
