// What the client needs to know about a resource to build its paths. The table of the kinds
// Gatehouse handles (libs/kube's kinds table) has these fields, so its entries are passed
// straight in; Lease, which only the client uses (leader election), is defined here.
import type { KubeObject } from "@gatehouse/kube";

export interface ApiResourceRef {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural used in paths. */
  plural: string;
  namespaced: boolean;
}

export const LEASE_RESOURCE: ApiResourceRef = { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true };

/** /api/v1[/namespaces/ns]/plural[/name[/sub]] or /apis/group/version/... ; no namespace on a namespaced resource means all namespaces. */
export function resourcePath(r: ApiResourceRef, namespace?: string, name?: string, subresource?: string): string {
  const parts = [r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`];
  if (r.namespaced && namespace) parts.push("namespaces", encodeURIComponent(namespace));
  parts.push(r.plural);
  if (name !== undefined) parts.push(encodeURIComponent(name));
  if (subresource !== undefined) parts.push(subresource);
  return parts.join("/");
}

/**
 * A Kubernetes object as the client sees it: identity and resourceVersion typed, the rest
 * carried through (the client fills apiVersion/kind in where built-in lists omit them). The
 * same shape as libs/kube's KubeObject, which it is to be replaced by when the two meet.
 */
/** A Kubernetes object as the API server returns it: the one KubeObject of libs/kube. */
export type ApiObject = KubeObject;
