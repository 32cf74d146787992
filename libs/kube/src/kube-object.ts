// The one shape of a Kubernetes object in Gatehouse: what the manifest parser returns, what
// the bus carries in `resources`/`endpoints`, and the base of libs/gatewayapi's typed kinds.
// Only the identity (apiVersion, kind, metadata.name) is guaranteed; everything else is
// carried through untouched and interpreted by the library that owns the kind.
import { isClusterScoped } from "./kinds";

export interface ObjectMeta {
  name: string;
  /** Absent for cluster-scoped kinds; the parser fills in "default" for namespaced ones. */
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

/** Identity of an object: the parts of the bus key `kind.namespace.name` ("" namespace when cluster-scoped). */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

/** Stable in-memory id of an object ("kind/namespace/name"); "/" cannot occur in any part of a valid object. */
export function refId(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function objectRef(obj: Pick<KubeObject, "kind" | "metadata">): ObjectRef {
  return { kind: obj.kind, namespace: namespaceOf(obj), name: obj.metadata.name };
}

/**
 * The namespace an object lives in, as the API server would store it: "" for cluster-scoped
 * kinds, "default" when a namespaced object omits it (as `kubectl apply` does).
 */
export function namespaceOf(obj: { kind?: string; metadata?: { namespace?: string } }): string {
  if (isClusterScoped(obj.kind ?? "")) return "";
  return obj.metadata?.namespace || "default";
}

/** The apiVersion of a group and version: "v1" for the core group, "apps/v1" for apps. */
export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The group of an apiVersion: "" for the core group ("v1"), "apps" for "apps/v1". */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
