// The IP family of a Gateway's proxies: what its parameters ask, else the cluster's, read from
// spec.ipFamilies of Service default/kubernetes. One rule for the translator (the IR's
// ipFamily: Envoy's listener addresses) and libs/infra (the Service and the bootstrap), so
// the proxies listen on the families their Service serves.
import type { IPFamily } from "@gatehouse/ir";

export type ClusterIpFamily = "IPv4" | "IPv6";

/** The Service whose ipFamilies are the cluster's: the API server's own. */
export const CLUSTER_SERVICE = { namespace: "default", name: "kubernetes" } as const;

/** spec.ipFamilies of a Service (the cluster's when it is default/kubernetes), primary first; unknown values dropped. */
export function serviceIpFamilyList(service: unknown): ClusterIpFamily[] {
  const families = (service as { spec?: { ipFamilies?: unknown } } | undefined)?.spec?.ipFamilies;
  if (!Array.isArray(families)) return [];
  return families.filter((f): f is ClusterIpFamily => f === "IPv4" || f === "IPv6");
}

/** The proxy's IP family: what the user asked, else the cluster's (no families known: IPv4). */
export function proxyIpFamily(asked: IPFamily | undefined, clusterFamilies: readonly ClusterIpFamily[]): IPFamily {
  if (asked) return asked;
  const fams = new Set(clusterFamilies);
  if (fams.has("IPv4") && fams.has("IPv6")) return "DualStack";
  return fams.has("IPv6") ? "IPv6" : "IPv4";
}
