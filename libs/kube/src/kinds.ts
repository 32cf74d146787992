// The kinds Gatehouse handles, once: where their API lives (group, version, plural, scope)
// and which bus bucket carries them. The manifest parser keeps only these (everything else
// is skipped with a note), the file provider and the Kubernetes provider publish them, and
// the key of an object (`kind.namespace.name`) depends on the scope given here.

export type BusBucket = "resources" | "endpoints";

export interface KindInfo {
  group: string;
  /** The version Gatehouse reads and writes (any served version of the group is accepted from files). */
  version: string;
  kind: string;
  /** The resource name in API paths (`/apis/<group>/<version>/namespaces/<ns>/<plural>`). */
  plural: string;
  namespaced: boolean;
  /** EndpointSlices take the fast path to the xds-server; everything else goes to `resources`. */
  bucket: BusBucket;
}

const GATEWAY = "gateway.networking.k8s.io";

export const KINDS: readonly KindInfo[] = [
  { group: GATEWAY, version: "v1", kind: "GatewayClass", plural: "gatewayclasses", namespaced: false, bucket: "resources" },
  { group: GATEWAY, version: "v1", kind: "Gateway", plural: "gateways", namespaced: true, bucket: "resources" },
  { group: GATEWAY, version: "v1", kind: "ListenerSet", plural: "listenersets", namespaced: true, bucket: "resources" },
  { group: GATEWAY, version: "v1", kind: "HTTPRoute", plural: "httproutes", namespaced: true, bucket: "resources" },
  { group: GATEWAY, version: "v1", kind: "GRPCRoute", plural: "grpcroutes", namespaced: true, bucket: "resources" },
  { group: GATEWAY, version: "v1alpha2", kind: "TLSRoute", plural: "tlsroutes", namespaced: true, bucket: "resources" },
  { group: GATEWAY, version: "v1alpha2", kind: "TCPRoute", plural: "tcproutes", namespaced: true, bucket: "resources" },
  { group: GATEWAY, version: "v1alpha2", kind: "UDPRoute", plural: "udproutes", namespaced: true, bucket: "resources" },
  { group: GATEWAY, version: "v1beta1", kind: "ReferenceGrant", plural: "referencegrants", namespaced: true, bucket: "resources" },
  { group: GATEWAY, version: "v1", kind: "BackendTLSPolicy", plural: "backendtlspolicies", namespaced: true, bucket: "resources" },
  { group: "", version: "v1", kind: "Service", plural: "services", namespaced: true, bucket: "resources" },
  { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true, bucket: "resources" },
  { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true, bucket: "resources" },
  { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, bucket: "resources" },
  { group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true, bucket: "endpoints" },
  // Only our proxies' Deployments (labelled by proxy-names.ts): their available replicas decide
  // whether a Gateway is Programmed. The watcher never watches the cluster's other Deployments.
  { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true, bucket: "resources" },
  // Our own CRD: Envoy proxy parameters referenced by GatewayClasses and Gateways (libs/infra).
  { group: "gateway.gatehouse.dev", version: "v1alpha1", kind: "ProxyConfig", plural: "proxyconfigs", namespaced: true, bucket: "resources" },
  // Read by the ingress-converter (Ingress migration).
  { group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", namespaced: true, bucket: "resources" },
  { group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses", namespaced: false, bucket: "resources" },
];

const BY_KIND = new Map(KINDS.map((k) => [k.kind, k]));
const BY_GROUP_KIND = new Map(KINDS.map((k) => [`${k.group}/${k.kind}`, k]));

/** The kind handled for this group and kind (any version of the group), or undefined when Gatehouse does not handle it. */
export function kindInfo(group: string, kind: string): KindInfo | undefined {
  return BY_GROUP_KIND.get(`${group}/${kind}`);
}

/**
 * Whether objects of this kind have no namespace. Kinds Gatehouse does not handle are taken
 * as namespaced (so an Event, say, keeps its namespace in its key).
 */
export function isClusterScoped(kind: string): boolean {
  const info = BY_KIND.get(kind);
  return info !== undefined && !info.namespaced;
}

/** The bucket that carries objects of this kind (`resources` for kinds not in the table, e.g. the watcher's Events). */
export function bucketOf(kind: string): BusBucket {
  return BY_KIND.get(kind)?.bucket ?? "resources";
}
