// Entry point: what the Gateway API v1.6.1 CRDs (OpenAPI schema and CEL rules) would
// reject in one object, picked by kind and, where the served versions differ, by
// apiVersion. Versions the CRDs no longer serve (GRPCRoute v1alpha2, BackendTLSPolicy
// v1alpha2, ...) are checked against the storage version rather than refused, because
// older manifests written for them are still common and the translator accepts them.
import { backendTlsPolicySpec } from "./backend-tls-policy";
import { dnsSubdomain, type Channel } from "./fields";
import { gatewaySpec } from "./gateway";
import { gatewayClassSpec } from "./gateway-class";
import { grpcRouteSpec } from "./grpc-route";
import { httpRouteSpec } from "./http-route";
import { listenerSetSpec } from "./listener-set";
import { tcpRouteSpecs, tlsRouteSpecs, udpRouteSpecs, type VersionedSpecs } from "./l4-routes";
import { referenceGrantSpec } from "./reference-grant";
import { checkAt, isObject, str, type Node, type Violation } from "./schema";

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

interface KindSchema {
  namespaced: boolean;
  /** Spec schema per channel and apiVersion; `default` for the storage version and unserved ones. */
  spec: Record<Channel, VersionedSpecs>;
}

/** A kind whose schema is the same in every version. */
function same(node: Node): VersionedSpecs {
  return { default: node };
}

function perChannel(specs: Record<Channel, Node>): Record<Channel, VersionedSpecs> {
  return { standard: same(specs.standard), experimental: same(specs.experimental) };
}

const KINDS: Record<string, KindSchema> = {
  GatewayClass: { namespaced: false, spec: { standard: same(gatewayClassSpec), experimental: same(gatewayClassSpec) } },
  Gateway: { namespaced: true, spec: perChannel(gatewaySpec) },
  ListenerSet: { namespaced: true, spec: { standard: same(listenerSetSpec), experimental: same(listenerSetSpec) } },
  HTTPRoute: { namespaced: true, spec: perChannel(httpRouteSpec) },
  GRPCRoute: { namespaced: true, spec: perChannel(grpcRouteSpec) },
  TLSRoute: { namespaced: true, spec: tlsRouteSpecs },
  TCPRoute: { namespaced: true, spec: tcpRouteSpecs },
  UDPRoute: { namespaced: true, spec: udpRouteSpecs },
  ReferenceGrant: { namespaced: true, spec: { standard: same(referenceGrantSpec), experimental: same(referenceGrantSpec) } },
  BackendTLSPolicy: { namespaced: true, spec: { standard: same(backendTlsPolicySpec), experimental: same(backendTlsPolicySpec) } },
};

export const SUPPORTED_KINDS: readonly string[] = Object.keys(KINDS);

const namespaceName = str({ minLength: 1, maxLength: 63, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ });

export interface GatewayApiObject {
  apiVersion?: string;
  kind: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  metadata?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
}

export interface ValidateOptions {
  /** The CRD channel installed (default experimental, the superset of features). */
  channel?: Channel;
}

/**
 * Everything the CRD schemas and CEL rules would reject in `object`, in document order.
 * Never throws, whatever the input's shape; an empty list means the API server would
 * accept it. (Rules needing the previously stored object, like GatewayClass's immutable
 * controllerName, are validateTransition's.)
 */
export function validateObject(object: GatewayApiObject, options: ValidateOptions = {}): Violation[] {
  const channel: Channel = options.channel === "standard" ? "standard" : "experimental";
  const out: Violation[] = [];
  if (!isObject(object)) {
    out.push({ path: "", message: "object must be a mapping with apiVersion, kind, metadata and spec", reason: "FieldValueTypeInvalid" });
    return out;
  }
  const kind = object.kind;
  const schema = typeof kind === "string" && Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (!schema) {
    out.push({
      path: "kind",
      message: `Unsupported value: ${JSON.stringify(kind ?? null)}: supported values: ${SUPPORTED_KINDS.map((k) => JSON.stringify(k)).join(", ")}`,
      reason: "FieldValueNotSupported",
    });
    return out;
  }

  let version = "";
  if (object.apiVersion !== undefined) {
    if (typeof object.apiVersion !== "string" || !object.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)) {
      out.push({
        path: "apiVersion",
        message: `Invalid value: ${JSON.stringify(object.apiVersion)}: ${kind} belongs to API group ${GATEWAY_API_GROUP}`,
        reason: "FieldValueInvalid",
      });
    } else {
      version = object.apiVersion.slice(GATEWAY_API_GROUP.length + 1);
    }
  }

  checkMetadata(object.metadata, schema.namespaced, out);

  const spec = object.spec;
  if (spec === undefined || spec === null) {
    out.push({ path: "spec", message: "Required value", reason: "FieldValueRequired", rule: "required" });
    return out;
  }
  const specs = schema.spec[channel];
  const node = (version && Object.hasOwn(specs, version) ? specs[version] : undefined) ?? specs.default;
  checkAt(node, spec, "spec", out);
  return out;
}

function checkMetadata(metadata: unknown, namespaced: boolean, out: Violation[]): void {
  if (metadata === undefined || metadata === null) {
    out.push({ path: "metadata.name", message: "Required value: name is required", reason: "FieldValueRequired", rule: "required" });
    return;
  }
  if (!isObject(metadata)) {
    out.push({ path: "metadata", message: "Invalid value: metadata must be a mapping", reason: "FieldValueTypeInvalid", rule: "type" });
    return;
  }
  if (metadata.name === undefined || metadata.name === null || metadata.name === "") {
    if (!metadata.generateName) {
      out.push({ path: "metadata.name", message: "Required value: name is required", reason: "FieldValueRequired", rule: "required" });
    }
  } else {
    // Custom resource names are DNS-1123 subdomains.
    checkAt(dnsSubdomain, metadata.name, "metadata.name", out);
  }
  if (namespaced && metadata.namespace !== undefined && metadata.namespace !== null && metadata.namespace !== "") {
    checkAt(namespaceName, metadata.namespace, "metadata.namespace", out);
  }
}
