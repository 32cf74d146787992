// Endpoints of one cluster, as the xds-server computes them from EndpointSlices (see
// libs/endpoints). Not part of GatewayIR: endpoints change on their own fast path and
// never cause a retranslation.

/** Envoy's health status values that Gatehouse uses (envoy.config.core.v3.HealthStatus). */
export type EndpointHealth = "HEALTHY" | "DRAINING";

export interface Endpoint {
  address: string;
  port: number;
  health: EndpointHealth;
  /** Pod or node name, for debugging (Envoy's endpoint hostname). */
  hostname?: string;
}

export interface LocalityEndpoints {
  /** topology.kubernetes.io/zone of the endpoints; "" when unknown. */
  zone: string;
  endpoints: Endpoint[];
}

/** Everything needed to build one ClusterLoadAssignment. Localities sorted by zone, endpoints by address. */
export interface EndpointSet {
  clusterName: string;
  localities: LocalityEndpoints[];
}
