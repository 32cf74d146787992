// What the renderer needs to know about the cluster and the control plane, read by the
// caller (the watcher) so rendering stays pure.
import { serviceIpFamilyList } from "@gatehouse/gatewayapi";
import type { IPFamily } from "@gatehouse/ir";

export interface ClusterFacts {
  /** spec.ipFamilies of Service default/kubernetes, primary first (empty: unknown, IPv4). */
  ipFamilies: ("IPv4" | "IPv6")[];
  /** The xds-server Service as Envoy dials it (a DNS name, so mTLS can check it). */
  xdsServer: { host: string; port: number; serverName?: string };
  /** Namespace of the control plane. */
  controlPlaneNamespace: string;
}

/** The xds-server Service of deploy/ (deploy/base/services/xds-server.yaml). */
export const XDS_SERVER_SERVICE = "gatehouse-xds-server";
export const XDS_SERVER_PORT = 18000;

/** The xds-server as Envoy dials it when the control plane runs from deploy/ in `namespace`. */
export function deployedXdsServer(namespace: string): ClusterFacts["xdsServer"] {
  return { host: `${XDS_SERVER_SERVICE}.${namespace}.svc`, port: XDS_SERVER_PORT };
}

export interface ServiceIpFamilies {
  ipFamilies: ("IPv4" | "IPv6")[];
  ipFamilyPolicy: "SingleStack" | "PreferDualStack";
}

/** ClusterFacts.ipFamilies from Service default/kubernetes as read (undefined: unknown). */
export function clusterFactsIpFamilies(kubernetesService: unknown): ClusterFacts["ipFamilies"] {
  return serviceIpFamilyList(kubernetesService);
}

/**
 * The Service's families. Dual stack keeps the cluster's primary family first and is
 * PreferDualStack, so asking for it on a single-stack cluster gives a working single-stack
 * Service instead of one the API server refuses (Envoy binds :: with ipv4_compat either way).
 */
export function serviceIpFamilies(family: IPFamily, cluster: ClusterFacts): ServiceIpFamilies {
  if (family !== "DualStack") return { ipFamilies: [family], ipFamilyPolicy: "SingleStack" };
  const primary = cluster.ipFamilies[0] ?? "IPv4";
  return { ipFamilies: primary === "IPv6" ? ["IPv6", "IPv4"] : ["IPv4", "IPv6"], ipFamilyPolicy: "PreferDualStack" };
}
