// Clusters: one per distinct (Service, port, protocol, upstream TLS) a Gateway uses. Routes
// point at clusters by name, so a Service used by many routes is one cluster and one
// ClusterLoadAssignment.
import type { UpstreamTLS } from "./tls";
import type { HeaderModifier } from "./http-route";

/** How Envoy speaks to the backend, from the Service port's appProtocol and the route kind. */
export type UpstreamProtocol =
  | "http1" // HTTP/1.1 (default for HTTPRoute)
  | "http2" // HTTP/2 over TLS or prior knowledge (GRPCRoute, appProtocol kubernetes.io/h2c or grpc)
  | "websocket" // HTTP/1.1 with upgrades (appProtocol kubernetes.io/ws or wss)
  | "tcp"
  | "udp";

export interface Cluster {
  /** Deterministic, unique within the Gateway; also the ClusterLoadAssignment name. */
  name: string;
  service: ServicePortRef;
  protocol: UpstreamProtocol;
  tls?: UpstreamTLS;
  connectTimeoutMs: number;
  /** The BackendTLSPolicy that configured `tls`, for status ("namespace/name"). */
  tlsPolicy?: string;
}

/** A port of a Kubernetes Service. Endpoints are matched to it by port name, then number. */
export interface ServicePortRef {
  namespace: string;
  name: string;
  /** Service port number (spec.ports[].port). */
  port: number;
  /** spec.ports[].name; EndpointSlice ports carry the same name. "" when unnamed. */
  portName: string;
  /** spec.ports[].targetPort when it is a number; used when a slice has no named port to match. */
  targetPort?: number;
  appProtocol?: string;
}

export interface WeightedCluster {
  cluster: string;
  weight: number;
  /** Header changes for requests sent to this backend only (backendRef filters). */
  requestHeaders?: HeaderModifier;
  /** Header changes for responses from this backend only (backendRef filters). */
  responseHeaders?: HeaderModifier;
  /** Host header for requests sent to this backend only (a backendRef URLRewrite hostname). */
  hostRewrite?: string;
}

export interface WeightedClusters {
  /** Valid backends with weight > 0, in the order the route listed them. */
  clusters: WeightedCluster[];
  /**
   * Summed weight of backendRefs that could not be resolved. The Gateway API says requests
   * that would go to them get HTTP 500; for TCP/UDP they are simply dropped.
   */
  invalidWeight: number;
}
