// Names of the Envoy objects Gatehouse creates. Listener and RouteConfiguration names carry
// the Gateway key, so two Gateways' proxies never see each other's names even in a shared
// cache. Clusters, ClusterLoadAssignments and Secrets keep the IR's names: those already name
// a Kubernetes object (a Service port, a Secret), and the endpoint fast path looks
// ClusterLoadAssignments up by the IR cluster name.

/** A cluster no CDS resource defines: Envoy answers requests routed to it with
 * `cluster_not_found_response_code` (500) and closes TCP connections, which is what the
 * Gateway API asks for traffic that would go to an invalid backendRef. */
export const INVALID_BACKEND_CLUSTER = "gatehouse/invalid-backend";

export function envoyListenerName(gatewayKey: string, irListenerName: string): string {
  return `${gatewayKey}/${irListenerName}`;
}

export function envoyRouteConfigName(gatewayKey: string, irRouteConfigName: string): string {
  return `${gatewayKey}/${irRouteConfigName}`;
}

/** Stat prefixes end up in metric names: keep them to characters every stats sink accepts. */
export function statPrefix(...parts: string[]): string {
  const joined = parts
    .join("_")
    .replace(/[^A-Za-z0-9_.-]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return joined === "" ? "gatehouse" : joined;
}
