// The resources the test API server serves. Where they live (group, version, plural, scope)
// comes from libs/kube's KINDS table, the one place Gatehouse states it: the kinds of
// Kubernetes' own API groups are always served; the others (Gateway API and our CRDs) a
// test installs with `crdOf`, possibly after start, to simulate a CRD installed later. What
// the table does not say, because only a server needs it, is here: which groups are built
// into Kubernetes, which kinds have a /status subresource, and the kinds only the test server
// serves (Lease for leader election; ServiceAccount, HPA and PDB, which the watcher applies
// for each Gateway's proxies; their Deployment is in the table, as the watcher reads it back).
import { KINDS, type KindInfo } from "@gatehouse/kube";

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

/** API groups compiled into kube-apiserver (the rest are served from CRDs). */
const KUBERNETES_GROUPS: ReadonlySet<string> = new Set(["", "apps", "autoscaling", "coordination.k8s.io", "discovery.k8s.io", "networking.k8s.io", "policy"]);

/**
 * Kinds without a /status subresource: core ones with no status at all, and ReferenceGrant,
 * the one Gateway API CRD without `subresources: {status: {}}`.
 */
const WITHOUT_STATUS: ReadonlySet<string> = new Set(["Secret", "ConfigMap", "EndpointSlice", "IngressClass", "Lease", "ReferenceGrant", "ServiceAccount"]);

function served(k: Pick<KindInfo, "group" | "version" | "kind" | "plural" | "namespaced">): ApiResource {
  const { group, version, kind, plural, namespaced } = k;
  return { group, version, kind, plural, namespaced, statusSubresource: !WITHOUT_STATUS.has(kind), custom: !KUBERNETES_GROUPS.has(group) };
}

/** Kinds only the test server serves: what leader election writes and what the infrastructure applier applies. */
const SERVER_ONLY_KINDS = [
  { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true },
  // What the watcher applies for each Gateway's proxies besides the Deployment (a KINDS entry).
  { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
  { group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", namespaced: true },
  { group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", namespaced: true },
];

export const BUILTIN_RESOURCES: readonly ApiResource[] = [...KINDS.filter((k) => KUBERNETES_GROUPS.has(k.group)), ...SERVER_ONLY_KINDS].map(served);

/** The CRD of a kind of the KINDS table that Kubernetes does not build in (e.g. "HTTPRoute"), to `registerResource`. */
export function crdOf(kind: string): ApiResource {
  const k = KINDS.find((x) => x.kind === kind && !KUBERNETES_GROUPS.has(x.group));
  if (!k) throw new Error(`${kind} is not a custom resource of libs/kube's KINDS table`);
  return served(k);
}
