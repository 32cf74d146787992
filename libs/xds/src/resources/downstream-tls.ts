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
  const context: JsonObject = { common_tls_context: common };
  const validation = tls.clientValidation;
  if (validation) {
    // A validation context makes Envoy ask for a client certificate; whether one is required,
    // and whether it must chain to the CAs, is the mode's (AllowValidOnly or AllowInsecureFallback).
    common.validation_context = {
      trusted_ca: { inline_string: validation.caCertificates },
      ...(validation.allowInsecure ? { trust_chain_verification: "ACCEPT_UNTRUSTED" } : {}),
    };
    context.require_client_certificate = !validation.allowInsecure;
  }
  return {
    name: "envoy.transport_sockets.tls",
    typed_config: typedConfig(DOWNSTREAM_TLS_TYPE, context),
  };
}
