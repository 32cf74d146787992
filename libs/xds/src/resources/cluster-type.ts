// Cluster: one per IR cluster, endpoints by EDS over ADS (the ClusterLoadAssignment carries
// the IR cluster name, see names.ts). HTTP/2 for gRPC and h2c via HttpProtocolOptions,
// upstream TLS from BackendTLSPolicy.
import type { Cluster, IPFamily } from "@gatehouse/ir";
import { duration, typedConfig, type JsonObject } from "./json";
import { adsConfigSource } from "./config-source";
import { upstreamTlsTransportSocket } from "./upstream-tls";
import { CLUSTER_TYPE, type BuildContext, type EnvoyResource } from "./resource-type";

const HTTP_PROTOCOL_OPTIONS_TYPE = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

const DNS_LOOKUP_FAMILY: Record<IPFamily, string> = {
  IPv4: "V4_ONLY",
  IPv6: "V6_ONLY",
  DualStack: "V4_PREFERRED",
};

export function buildCluster(cluster: Cluster, ctx: BuildContext): EnvoyResource {
  const json: JsonObject = {
    name: cluster.name,
    type: "EDS",
    eds_cluster_config: { eds_config: adsConfigSource(), service_name: cluster.name },
    connect_timeout: duration(cluster.connectTimeoutMs),
    // Only used if the cluster ever resolves names; EDS endpoints are picked by family upstream.
    dns_lookup_family: DNS_LOOKUP_FAMILY[ctx.ipFamily],
  };
  if (cluster.protocol === "http2") {
    json.typed_extension_protocol_options = {
      [HTTP_PROTOCOL_OPTIONS_TYPE]: typedConfig(HTTP_PROTOCOL_OPTIONS_TYPE, {
        explicit_http_config: { http2_protocol_options: {} },
      }),
    };
  }
  if (cluster.tls) json.transport_socket = upstreamTlsTransportSocket(cluster.tls, cluster.protocol);
  // A cluster that fails validation is most likely its BackendTLSPolicy's doing: say which.
  const origins = cluster.tlsPolicy ? [{ path: [], irName: cluster.name, policy: cluster.tlsPolicy, prunable: false }] : [];
  return { name: cluster.name, typeUrl: CLUSTER_TYPE.typeUrl, json, origins };
}
