// Entry point: what the Gateway API v1.6.1 CRDs (OpenAPI schema and CEL rules) would
// reject in one object, picked by kind and, where the served versions differ, by
// apiVersion. Versions the CRDs no longer serve (GRPCRoute v1alpha2, BackendTLSPolicy
// v1alpha2, ...) are checked against the storage version rather than refused, because
// older manifests written for them are still common and the translator accepts them.
import { backendTlsPolicySpec } from "./backend-tls-policy";
import { dnsSubdomain } from "./fields";
import { gatewaySpec } from "./gateway";
import { gatewayClassSpec } from "./gateway-class";
import { grpcRouteSpec } from "./grpc-route";
import { httpRouteSpec } from "./http-route";
import {
  tcpRouteSpecV1,
  tcpRouteSpecV1alpha2,
  tlsRouteSpecV1,
  tlsRouteSpecV1alpha2,
  udpRouteSpecV1,
  udpRouteSpecV1alpha2,
} from "./l4-routes";
import { referenceGrantSpec } from "./reference-grant";
import { checkAt, isObject, str, type Node, type Violation } from "./schema";

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

interface KindSchema {
  namespaced: boolean;
  /** Spec schema per apiVersion; `default` for the storage version and unserved ones. */
  spec: { default: Node } & Record<string, Node>;
}

const KINDS: Record<string, KindSchema> = {
  GatewayClass: { namespaced: false, spec: { default: gatewayClassSpec } },
  Gateway: { namespaced: true, spec: { default: gatewaySpec } },
  HTTPRoute: { namespaced: true, spec: { default: httpRouteSpec } },
  GRPCRoute: { namespaced: true, spec: { default: grpcRouteSpec } },
  TLSRoute: { namespaced: true, spec: { default: tlsRouteSpecV1, v1alpha2: tlsRouteSpecV1alpha2 } },
  TCPRoute: { namespaced: true, spec: { default: tcpRouteSpecV1, v1alpha2: tcpRouteSpecV1alpha2 } },
  UDPRoute: { namespaced: true, spec: { default: udpRouteSpecV1, v1alpha2: udpRouteSpecV1alpha2 } },
  ReferenceGrant: { namespaced: true, spec: { default: referenceGrantSpec } },
  BackendTLSPolicy: { namespaced: true, spec: { default: backendTlsPolicySpec } },
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

/**
 * Everything the CRD schemas and CEL rules would reject in `object`, in document order.
 * Never throws, whatever the input's shape; an empty list means the API server would
 * accept it. (Rules needing the previously stored object, like GatewayClass's immutable
 * controllerName, cannot be checked here.)
 */
export function validateObject(object: GatewayApiObject): Violation[] {
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
  const node = (version && Object.hasOwn(schema.spec, version) ? schema.spec[version] : undefined) ?? schema.spec.default;
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
