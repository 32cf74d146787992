// BackendTLSPolicy as an UpstreamTlsContext: SNI, the CA bundle (or the system's roots) and
// the names the backend's certificate must carry (the SNI itself unless subjectAltNames are
// given).
import type { UpstreamProtocol, UpstreamTLS } from "@gatehouse/ir";
import { typedConfig, type JsonObject } from "./json";

const UPSTREAM_TLS_TYPE = "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext";

export function upstreamTlsTransportSocket(tls: UpstreamTLS, protocol: UpstreamProtocol): JsonObject {
  const validation: JsonObject = {};
  if (tls.caCertificates !== undefined && !tls.useSystemTrust) validation.trusted_ca = { inline_string: tls.caCertificates };
  else validation.system_root_certs = {};
  const sans =
    tls.subjectAltNames.length > 0 ? tls.subjectAltNames : [{ type: "Hostname" as const, value: tls.sni }];
  validation.match_typed_subject_alt_names = sans.map((san) => ({
    san_type: san.type === "URI" ? "URI" : "DNS",
    matcher: { exact: san.value },
  }));
  const common: JsonObject = { validation_context: validation };
  // Over TLS, HTTP/2 is negotiated by ALPN; say which protocol we speak.
  if (protocol === "http2") common.alpn_protocols = ["h2"];
  else if (protocol === "http1" || protocol === "websocket") common.alpn_protocols = ["http/1.1"];
  return {
    name: "envoy.transport_sockets.tls",
    typed_config: typedConfig(UPSTREAM_TLS_TYPE, { common_tls_context: common, sni: tls.sni }),
  };
}
