// The shape of a Kubernetes object as the watcher sees it: just enough to key it. Everything
// else is carried through untouched; interpreting it is the translator's job.

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** Kinds without a namespace. Their key has an empty namespace part. */
const CLUSTER_SCOPED = new Set([
  "GatewayClass",
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "IngressClass",
  "Node",
  "ClusterTrustBundle",
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** Identity of an object: the parts of the bus key `kind.namespace.name`. */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

/** Stable in-memory id of an object ("kind/namespace/name"); "/" cannot occur in any part. */
export function refId(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function objectRef(obj: KubeObject): ObjectRef {
  return {
    kind: obj.kind,
    namespace: isClusterScoped(obj.kind) ? "" : (obj.metadata.namespace ?? "default"),
    name: obj.metadata.name,
  };
}

/** EndpointSlices take the fast path (the `endpoints` bucket); every other kind goes to `resources`. */
export function isEndpointSlice(ref: ObjectRef): boolean {
  return ref.kind === "EndpointSlice";
}
