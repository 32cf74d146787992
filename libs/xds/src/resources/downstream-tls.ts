// TLS termination on a filter chain: certificates come by SDS (over ADS) under the names of
// the IR's TLSSecrets, so a rotated Secret is pushed without touching the Listener.
import type { DownstreamTLS } from "@gatehouse/ir";
import { typedConfig, type JsonObject } from "./json";
import { adsConfigSource } from "./config-source";

const DOWNSTREAM_TLS_TYPE = "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext";

export function downstreamTlsTransportSocket(tls: DownstreamTLS): JsonObject {
  const common: JsonObject = {
    tls_certificate_sds_secret_configs: tls.certificates.map((name) => ({ name, sds_config: adsConfigSource() })),
  };
  if (tls.alpnProtocols.length > 0) common.alpn_protocols = [...tls.alpnProtocols];
  return {
    name: "envoy.transport_sockets.tls",
    typed_config: typedConfig(DOWNSTREAM_TLS_TYPE, { common_tls_context: common }),
  };
}
