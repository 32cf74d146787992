// Loads Envoy's v3 protos (and the xds, udpa, googleapis and PGV protos they import) from
// the deps/ folder of @grpc/grpc-js-xds with protobufjs, once per process. Everything that
// encodes, decodes or validates an Envoy resource goes through the Root returned here.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import protobuf from "protobufjs";

const require = createRequire(import.meta.url);
const xdsPackageDir = path.dirname(require.resolve("@grpc/grpc-js-xds/package.json"));
const protobufjsDir = path.dirname(require.resolve("protobufjs/package.json"));

/** Include paths, searched in order, like protoc's -I. */
export const ENVOY_PROTO_INCLUDE_DIRS: readonly string[] = [
  path.join(xdsPackageDir, "deps", "envoy-api"),
  path.join(xdsPackageDir, "deps", "xds"),
  path.join(xdsPackageDir, "deps", "googleapis"),
  path.join(xdsPackageDir, "deps", "protoc-gen-validate"),
  // google/protobuf/*.proto (descriptor.proto above all: without it, custom options such
  // as (validate.rules) fail to resolve and are silently dropped).
  protobufjsDir,
];

/**
 * The proto files Gatehouse needs: every resource type it produces, every typed_config it
 * embeds, and the discovery services. Their imports are loaded transitively.
 */
export const ENVOY_PROTO_FILES: readonly string[] = [
  "google/protobuf/descriptor.proto",
  "validate/validate.proto",
  "envoy/config/listener/v3/listener.proto",
  "envoy/config/route/v3/route.proto",
  "envoy/config/cluster/v3/cluster.proto",
  "envoy/config/endpoint/v3/endpoint.proto",
  "envoy/config/bootstrap/v3/bootstrap.proto",
  "envoy/extensions/transport_sockets/tls/v3/tls.proto",
  "envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto",
  "envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto",
  "envoy/extensions/filters/udp/udp_proxy/v3/udp_proxy.proto",
  // The Route action of udp_proxy's matcher lives in its own file, which udp_proxy.proto does not import.
  "envoy/extensions/filters/udp/udp_proxy/v3/route.proto",
  "envoy/extensions/filters/http/router/v3/router.proto",
  "envoy/extensions/filters/http/cors/v3/cors.proto",
  "envoy/extensions/filters/http/stateful_session/v3/stateful_session.proto",
  "envoy/extensions/http/stateful_session/cookie/v3/cookie.proto",
  "envoy/extensions/http/stateful_session/header/v3/header.proto",
  "envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector.proto",
  "envoy/extensions/upstreams/http/v3/http_protocol_options.proto",
  "envoy/service/discovery/v3/ads.proto",
  "envoy/service/discovery/v3/discovery.proto",
  "envoy/service/status/v3/csds.proto",
];

/** Type URLs of the resource types served over xDS. */
export const TYPE_URLS = {
  listener: "type.googleapis.com/envoy.config.listener.v3.Listener",
  route: "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
  cluster: "type.googleapis.com/envoy.config.cluster.v3.Cluster",
  endpoint: "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
  secret: "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
} as const;

let cached: { root: protobuf.Root; loadMs: number } | undefined;

/** Resolves an import against the include paths; the first directory holding the file wins. */
function resolveImport(_origin: string, target: string): string {
  if (path.isAbsolute(target) && existsSync(target)) return target;
  for (const dir of ENVOY_PROTO_INCLUDE_DIRS) {
    const candidate = path.join(dir, target);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`proto import not found in include paths: ${target}`);
}

/** The shared Root with every Envoy proto loaded and resolved. Synchronous, cached. */
export function envoyProtos(): protobuf.Root {
  return loadEnvoyProtos().root;
}

/** How long the first load took, in milliseconds (0 if not loaded yet). */
export function envoyProtoLoadMs(): number {
  return cached?.loadMs ?? 0;
}

function loadEnvoyProtos(): { root: protobuf.Root; loadMs: number } {
  if (cached) return cached;
  const started = performance.now();
  const root = new protobuf.Root();
  root.resolvePath = resolveImport;
  root.loadSync([...ENVOY_PROTO_FILES], { keepCase: true, alternateCommentMode: false });
  root.resolveAll();
  cached = { root, loadMs: performance.now() - started };
  return cached;
}

/** Looks up a message type by fully qualified name or type URL. Throws on an unknown name: a bug, not user input. */
export function messageType(nameOrTypeUrl: string): protobuf.Type {
  const name = nameOrTypeUrl.startsWith("type.googleapis.com/")
    ? nameOrTypeUrl.slice("type.googleapis.com/".length)
    : nameOrTypeUrl;
  return envoyProtos().lookupType(name);
}
