// The Envoy bootstrap of a Gateway's proxies: Delta ADS over mTLS to the xds-server (client
// certificate and CA by file-based SDS), node.cluster = the Gateway key (how the xds-server
// knows which Gateway's resources to serve), admin on loopback, and the readiness and stats
// listeners bound by the proxy's IP family.
import { gatewayKey, type IPFamily } from "@gatehouse/ir";
import { isIP } from "node:net";
import { duration, typedConfig, type JsonObject } from "../resources/json";
import { loopbackAddress, socketAddress } from "../resources/socket-address";
import type { BootstrapOptions } from "./bootstrap-options";
import { ADMIN_CLUSTER, readinessListener, statsListener } from "./bootstrap-listeners";
import { fileSdsSecretConfig, XDS_CLIENT_CERT_FILE, XDS_CLIENT_CERT_SECRET, XDS_TRUSTED_CA_FILE, XDS_TRUSTED_CA_SECRET } from "./sds-files";

export const BOOTSTRAP_TYPE_NAME = "envoy.config.bootstrap.v3.Bootstrap";
export const XDS_CLUSTER = "gatehouse_xds";

const HTTP_PROTOCOL_OPTIONS_TYPE = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
const UPSTREAM_TLS_TYPE = "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext";

const DNS_LOOKUP_FAMILY: Record<IPFamily, string> = { IPv4: "V4_ONLY", IPv6: "V6_ONLY", DualStack: "V4_PREFERRED" };

/** The bootstrap as proto3 JSON (envoy.config.bootstrap.v3.Bootstrap, without "@type"). */
export function buildBootstrap(opts: BootstrapOptions): JsonObject {
  const ads = { ads: {}, resource_api_version: "V3" };
  return {
    node: { id: opts.nodeId, cluster: gatewayKey(opts.gateway) },
    static_resources: {
      listeners: [readinessListener(opts.readinessPort, opts.ipFamily), statsListener(opts.statsPort, opts.ipFamily)],
      clusters: [xdsCluster(opts), adminCluster(opts)],
    },
    dynamic_resources: {
      lds_config: ads,
      cds_config: ads,
      ads_config: {
        api_type: "DELTA_GRPC",
        transport_api_version: "V3",
        grpc_services: [{ envoy_grpc: { cluster_name: XDS_CLUSTER } }],
        set_node_on_first_message_only: true,
      },
    },
    admin: { address: socketAddress(loopbackAddress(opts.ipFamily), opts.adminPort) },
    layered_runtime: { layers: [{ name: "gatehouse-static", static_layer: STATIC_RUNTIME }] },
  };
}

/**
 * Runtime keys every Gatehouse proxy needs. Envoy refuses any regex whose compiled RE2 program
 * is larger than `re2.max_program_size.error_level` (default 100), and a refused regex makes it
 * reject the whole RouteConfiguration. The size is not something we can compute before the
 * push (the RE2 we validate with does not expose it), so the limit is raised to what the
 * Gateway API regex length limits can produce, as Contour does; the warn level keeps logs quiet.
 */
const STATIC_RUNTIME: JsonObject = {
  "re2.max_program_size.error_level": 1048576,
  "re2.max_program_size.warn_level": 1000,
};

function xdsCluster(opts: BootstrapOptions): JsonObject {
  const hostIsIP = isIP(opts.xdsHost) !== 0;
  const serverName = opts.xdsServerName ?? opts.xdsHost;
  const sanType = isIP(serverName) !== 0 ? "IP_ADDRESS" : "DNS";
  const tls: JsonObject = {
    common_tls_context: {
      tls_params: { tls_minimum_protocol_version: "TLSv1_2" },
      alpn_protocols: ["h2"],
      tls_certificate_sds_secret_configs: [fileSdsSecretConfig(XDS_CLIENT_CERT_SECRET, XDS_CLIENT_CERT_FILE, opts)],
      combined_validation_context: {
        // The xds-server must prove it is the one we asked for, not merely anyone our CA signed.
        default_validation_context: { match_typed_subject_alt_names: [{ san_type: sanType, matcher: { exact: serverName } }] },
        validation_context_sds_secret_config: fileSdsSecretConfig(XDS_TRUSTED_CA_SECRET, XDS_TRUSTED_CA_FILE, opts),
      },
    },
  };
  // SNI cannot carry an IP address.
  if (isIP(serverName) === 0) tls.sni = serverName;
  return {
    name: XDS_CLUSTER,
    type: hostIsIP ? "STATIC" : "STRICT_DNS",
    connect_timeout: duration(5000),
    dns_lookup_family: DNS_LOOKUP_FAMILY[opts.ipFamily],
    load_assignment: {
      cluster_name: XDS_CLUSTER,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(opts.xdsHost, opts.xdsPort) } }] }],
    },
    typed_extension_protocol_options: {
      [HTTP_PROTOCOL_OPTIONS_TYPE]: typedConfig(HTTP_PROTOCOL_OPTIONS_TYPE, {
        // Keepalives find a dead xds-server connection long before TCP would.
        explicit_http_config: { http2_protocol_options: { connection_keepalive: { interval: "30s", timeout: "5s" } } },
      }),
    },
    transport_socket: { name: "envoy.transport_sockets.tls", typed_config: typedConfig(UPSTREAM_TLS_TYPE, tls) },
  };
}

function adminCluster(opts: BootstrapOptions): JsonObject {
  return {
    name: ADMIN_CLUSTER,
    type: "STATIC",
    connect_timeout: duration(250),
    load_assignment: {
      cluster_name: ADMIN_CLUSTER,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(loopbackAddress(opts.ipFamily), opts.adminPort) } }] }],
    },
  };
}
