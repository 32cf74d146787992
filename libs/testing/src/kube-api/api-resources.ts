// The resources the test API server serves. A few built-in kinds (what the watcher reads and
// what leader election writes) are always there; anything else (Gateway API CRDs) a test
// registers, possibly after start, to simulate a CRD installed later.

export interface ApiResource {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural used in paths. */
  plural: string;
  namespaced: boolean;
  /** Has a /status subresource (then the main resource ignores status writes). */
  statusSubresource?: boolean;
  /** Served like a CRD: list items carry apiVersion/kind (built-in lists omit them). */
  custom?: boolean;
}

export function apiVersionOf(r: Pick<ApiResource, "group" | "version">): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export const BUILTIN_RESOURCES: readonly ApiResource[] = [
  { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, statusSubresource: true },
  { group: "", version: "v1", kind: "Service", plural: "services", namespaced: true, statusSubresource: true },
  { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true },
  { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true },
  { group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true },
  { group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", namespaced: true, statusSubresource: true },
  { group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses", namespaced: false },
  { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true },
  { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true, statusSubresource: true },
  // What the watcher applies for each Gateway's proxies, besides the above.
  { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
  { group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", namespaced: true, statusSubresource: true },
  { group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", namespaced: true, statusSubresource: true },
];
