// The intermediate graph that the processors fill in order (Contour's DAG, Envoy Gateway's
// contexts): Gateways with their listeners, routes with one status entry per parentRef,
// and the clusters and secrets they use. Status is read from it at the end, IR is emitted
// from it per Gateway.
import type { ClientValidation, Cluster, HTTPRoute as IRHTTPRoute, IPFamily, TLSSecret, WeightedClusters } from "@gatehouse/ir";
import type { ConditionSet } from "./conditions";
import type { GatewaySpec, KubeObject, ListenerSpec, ParentReference } from "./kube-types";
import type { ResourceSet } from "./resource-set";
import type { ReferenceGrants } from "./reference-grants";
import type { BackendTLSPolicies } from "./backend-tls-policies";
import type { ProxyConfigSpec } from "./parameters";

export type RouteKind = "HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute" | "UDPRoute";

export interface RouteGroupKind {
  group: string;
  kind: string;
}

export interface GatewayNode {
  obj: KubeObject;
  /** "namespace/name". */
  key: string;
  namespace: string;
  name: string;
  className: string;
  generation?: number;
  spec: GatewaySpec;
  conditions: ConditionSet;
  listeners: ListenerNode[];
  /** False when the Gateway itself is rejected (for example an unsupported address): no IR. */
  accepted: boolean;
  /** TLSSecret name of spec.tls.backend.clientCertificateRef, once resolved. */
  clientCertificate?: string;
  /** ListenerSets naming this Gateway as parent, in merge order (see processors/listener-sets.ts). */
  listenerSets: ListenerSetNode[];
  /** The proxies' IP family from the Gateway's parameters or the cluster; unset: the translator's default. */
  ipFamily?: IPFamily;
  /** status.addresses: the proxy Service's addresses; unset when no proxy Service is known (standalone). */
  addresses?: GatewayStatusAddress[];
}

/** An entry of Gateway status.addresses. */
export interface GatewayStatusAddress {
  type: "IPAddress" | "Hostname";
  value: string;
}

/** A ListenerSet whose parentRef names one of our Gateways. */
export interface ListenerSetNode {
  obj: KubeObject;
  /** "namespace/name". */
  key: string;
  namespace: string;
  name: string;
  gateway: GatewayNode;
  conditions: ConditionSet;
  /** Allowed by the Gateway and the Gateway accepted: its listeners join the Gateway's. */
  accepted: boolean;
  listeners: ListenerNode[];
}

export interface ListenerNode {
  gateway: GatewayNode;
  /** The ListenerSet that contributed the listener; absent for the Gateway's own listeners. */
  listenerSet?: ListenerSetNode;
  /** Unique among the Gateway's merged listeners: the name, prefixed by the ListenerSet's for contributed ones. */
  id: string;
  spec: ListenerSpec;
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  /** Only for HTTPS and TLS listeners with a tls block (default Terminate). */
  tlsMode?: "Terminate" | "Passthrough";
  conditions: ConditionSet;
  supportedKinds: RouteGroupKind[];
  attachedRoutes: number;
  /** Valid and conflict-free: gets an Envoy filter chain. */
  ready: boolean;
  allowsNamespace: (namespace: string) => boolean;
  /** TLSSecret names (see TranslationGraph.secrets), in certificateRefs order. */
  certificates: string[];
  /** Client certificate validation from the Gateway's spec.tls.frontend (HTTPS listeners). */
  clientValidation?: ClientValidation;
  /** Hostnames or certificates overlap another HTTPS listener's on the port: offer HTTP/1.1 only. */
  tlsOverlap?: boolean;
  http: HTTPAttachment[];
  tcp: L4Attachment[];
  udp: L4Attachment[];
}

/** One HTTPRoute or GRPCRoute attached to one listener, with the hostnames it serves there. */
export interface HTTPAttachment {
  route: RouteNode;
  hosts: string[];
  routes: BuiltHTTPRoute[];
}

/** An IR route built from one (rule, match), before per-listener details are filled in. */
export interface BuiltHTTPRoute {
  ir: IRHTTPRoute;
  /** The redirect has no port: it follows the listener port or the scheme (spec). */
  redirectPortFromListener: boolean;
  precedence: PrecedenceKey;
}

export interface PrecedenceKey {
  /** 0 Exact, 1 RegularExpression, 2 PathPrefix. */
  pathRank: number;
  pathLength: number;
  hasMethod: boolean;
  headers: number;
  queryParams: number;
  /** Position of the route among all HTTPRoutes and GRPCRoutes: oldest first, then by namespace/name. */
  routeOrder: number;
  ruleIndex: number;
  matchIndex: number;
  /** The CORS preflight route of a match: after any route with the same key. */
  preflight?: boolean;
}

/** A TCPRoute, TLSRoute or UDPRoute attached to one listener. */
export interface L4Attachment {
  route: RouteNode;
  hosts: string[];
  destination?: WeightedClusters;
}

export interface RouteNode {
  obj: KubeObject;
  kind: RouteKind;
  namespace: string;
  name: string;
  generation?: number;
  created: string;
  /** Processing position among routes of the HTTP family (see PrecedenceKey.routeOrder). */
  order: number;
  parents: ParentNode[];
}

export interface ParentNode {
  /** The parentRef with its namespace filled in. */
  ref: ParentReference;
  /** The parentRef exactly as written, echoed in status. */
  written: ParentReference;
  gateway: GatewayNode;
  conditions: ConditionSet;
  /** Listeners selected by sectionName/port that allow this route's kind and namespace. */
  listeners: ListenerNode[];
}

export interface TranslationGraph {
  controllerName: string;
  resources: ResourceSet;
  grants: ReferenceGrants;
  /** Report Services without ready endpoints (only when the input carries EndpointSlices). */
  checkEndpoints: boolean;
  gateways: Map<string, GatewayNode>;
  routes: RouteNode[];
  clusters: Map<string, Cluster>;
  secrets: Map<string, TLSSecret>;
  /** Namespace labels by name, filled on first use (see processors/listeners.ts). */
  namespaceLabels: Map<string, Record<string, string>>;
  /** HTTPRoutes and GRPCRoutes in precedence order of age and name, for PrecedenceKey.routeOrder. */
  routeOrder: Map<KubeObject, number>;
  /** ListenerSets attached (or trying to attach) to our Gateways, by "namespace/name". */
  listenerSets: Map<string, ListenerSetNode>;
  /**
   * GatewayClasses of our controller by name, with the conditions we write on them and, when
   * accepted, their resolved ProxyConfig parameters (resolved once, shared by their Gateways).
   */
  classes: Map<string, { obj: KubeObject; conditions: ConditionSet; accepted: boolean; parameters?: ProxyConfigSpec }>;
  /** BackendTLSPolicies, applied by the backends processor, reporting per ancestor. */
  policies: BackendTLSPolicies;
}
