// Shapes of the Kubernetes objects translation reads. Input comes from users and files, so
// every field is optional and every reader tolerates its absence; the CRD schema is checked
// separately (@gatehouse/validation), never assumed here.

// The object and metadata base types are libs/kube's (the one KubeObject of Gatehouse); the
// spec interfaces below are Gateway API's and stay here.
import type { KubeObject } from "@gatehouse/kube";
export type { KubeObject, ObjectMeta } from "@gatehouse/kube";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  sectionName?: string;
  port?: number;
}

export interface BackendObjectReference {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  port?: number;
}

export interface BackendRef extends BackendObjectReference {
  weight?: number;
  filters?: HTTPRouteFilter[];
}

export interface HTTPHeader {
  name?: string;
  value?: string;
}

export interface HTTPHeaderFilter {
  set?: HTTPHeader[];
  add?: HTTPHeader[];
  remove?: string[];
}

export interface HTTPPathModifier {
  type?: string;
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

/** The HTTPRoute CORS filter's fields (also what the Ingress converter generates). */
export interface HTTPCORSFilter {
  allowOrigins?: string[];
  allowCredentials?: boolean;
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

export interface HTTPRouteFilter {
  type?: string;
  requestHeaderModifier?: HTTPHeaderFilter;
  responseHeaderModifier?: HTTPHeaderFilter;
  requestRedirect?: {
    scheme?: string;
    hostname?: string;
    path?: HTTPPathModifier;
    port?: number;
    statusCode?: number;
  };
  urlRewrite?: { hostname?: string; path?: HTTPPathModifier };
  requestMirror?: {
    backendRef?: BackendObjectReference;
    percent?: number;
    fraction?: { numerator?: number; denominator?: number };
  };
  cors?: HTTPCORSFilter;
  extensionRef?: { group?: string; kind?: string; name?: string };
}

export interface HTTPRouteMatch {
  path?: { type?: string; value?: string };
  headers?: { type?: string; name?: string; value?: string }[];
  queryParams?: { type?: string; name?: string; value?: string }[];
  method?: string;
}

export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
  timeouts?: { request?: string; backendRequest?: string };
  retry?: { codes?: number[]; attempts?: number; backoff?: string };
  sessionPersistence?: SessionPersistenceSpec;
}

export interface GRPCRouteMatch {
  method?: { type?: string; service?: string; method?: string };
  headers?: { type?: string; name?: string; value?: string }[];
}

export interface GRPCRouteRule {
  name?: string;
  matches?: GRPCRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
  sessionPersistence?: SessionPersistenceSpec;
}

/** A route rule's sessionPersistence (experimental channel, HTTPRoute and GRPCRoute). */
export interface SessionPersistenceSpec {
  sessionName?: string;
  absoluteTimeout?: string;
  /** In the CRDs before v1.6 (v1.6 removed it); older installations still send it. */
  idleTimeout?: string;
  type?: string;
  cookieConfig?: { lifetimeType?: string };
}

export interface L4RouteRule {
  name?: string;
  backendRefs?: BackendRef[];
}

export interface RouteSpec {
  parentRefs?: ParentReference[];
  hostnames?: string[];
  rules?: unknown[];
}

export interface ListenerSpec {
  name?: string;
  hostname?: string;
  port?: number;
  protocol?: string;
  tls?: {
    mode?: string;
    certificateRefs?: { group?: string; kind?: string; name?: string; namespace?: string }[];
    options?: Record<string, string>;
  };
  allowedRoutes?: {
    namespaces?: {
      from?: string;
      selector?: LabelSelector;
    };
    kinds?: { group?: string; kind?: string }[];
  };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

export interface GatewaySpec {
  gatewayClassName?: string;
  listeners?: ListenerSpec[];
  addresses?: { type?: string; value?: string }[];
  infrastructure?: { labels?: Record<string, string>; annotations?: Record<string, string>; parametersRef?: { group?: string; kind?: string; name?: string } };
  tls?: {
    backend?: {
      clientCertificateRef?: { group?: string; kind?: string; name?: string; namespace?: string };
    };
    /** Client certificate validation on HTTPS listeners: a default, overridden per port. */
    frontend?: {
      default?: { validation?: FrontendValidation };
      perPort?: { port?: number; tls?: { validation?: FrontendValidation } }[];
    };
  };
  /** Which ListenerSets may attach (None by default). */
  allowedListeners?: { namespaces?: { from?: string; selector?: LabelSelector } };
}

export interface FrontendValidation {
  caCertificateRefs?: { group?: string; kind?: string; name?: string; namespace?: string }[];
  mode?: string;
}

/** ListenerSet (gateway.networking.k8s.io/v1): listeners contributed to a parent Gateway. */
export interface ListenerSetSpec {
  parentRef?: { group?: string; kind?: string; name?: string; namespace?: string };
  listeners?: ListenerSpec[];
}

export interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

export interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  ports?: ServicePort[];
}

export interface EndpointSlice extends KubeObject {
  addressType?: string;
  ports?: { name?: string; port?: number; protocol?: string }[];
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean } }[];
}

export interface ReferenceGrantSpec {
  from?: { group?: string; kind?: string; namespace?: string }[];
  to?: { group?: string; kind?: string; name?: string }[];
}

export interface BackendTLSPolicySpec {
  targetRefs?: { group?: string; kind?: string; name?: string; sectionName?: string }[];
  validation?: {
    caCertificateRefs?: { group?: string; kind?: string; name?: string }[];
    wellKnownCACertificates?: string;
    hostname?: string;
    subjectAltNames?: { type?: string; hostname?: string; uri?: string }[];
  };
}

export const GATEWAY_GROUP = "gateway.networking.k8s.io";

/** "Kind/namespace/name" (namespace empty for cluster-scoped kinds): the key of an object everywhere. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ""}/${name}`;
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.kind ?? "", obj.metadata?.namespace, obj.metadata?.name ?? "");
}

export function spec<T>(obj: KubeObject): T {
  return (obj.spec && typeof obj.spec === "object" ? obj.spec : {}) as T;
}

export function asArray<T>(v: T[] | undefined | null): T[] {
  return Array.isArray(v) ? v : [];
}
