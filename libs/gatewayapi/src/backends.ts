// Backends processor: a backendRef to a Service port becomes a cluster (deduplicated per
// Service, port, protocol and upstream TLS), or a problem for the route's status. Endpoints
// never enter the IR; they only decide BackendsAvailable when the input carries them.
import type { Cluster, UpstreamProtocol } from "@gatehouse/ir";
import type { RouteProblem } from "./conditions";
import { GATEWAY_GROUP, spec, type BackendObjectReference, type ParentReference, type ServicePort, type ServiceSpec } from "./kube-types";
import type { RouteKind, RouteNode, TranslationGraph } from "./graph";
import { lookup } from "./resource-set";

export const CONNECT_TIMEOUT_MS = 10_000;

export interface BackendResult {
  /** Cluster name when the backend resolved. */
  cluster?: string;
  weight: number;
  /** Why the backend is unusable (ResolvedRefs=False), if it is. */
  problem?: RouteProblem;
  /** Resolved, but the Service has no endpoints for the port (BackendsAvailable=False). */
  unavailable?: RouteProblem;
  websocket: boolean;
}

export interface BackendOptions {
  /** The parentRef through which traffic reaches the backend (BackendTLSPolicy ancestor). */
  ancestor: ParentReference;
}

export function resolveBackend(
  graph: TranslationGraph,
  route: RouteNode,
  ref: BackendObjectReference & { weight?: number },
  opts: BackendOptions,
): BackendResult {
  const weight = ref.weight ?? 1;
  const result: BackendResult = { weight, websocket: false };
  const fail = (reason: string, message: string): BackendResult => ({ ...result, problem: { type: "ResolvedRefs", reason, message } });
  const group = ref.group ?? "";
  const kind = ref.kind ?? "Service";
  if (group !== "" || kind !== "Service") {
    return fail("InvalidKind", `Backend kind ${group ? `${group}/` : ""}${kind} is not supported, only core Service is`);
  }
  const name = ref.name ?? "";
  const namespace = ref.namespace || route.namespace;
  if (
    !graph.grants.permits(
      { group: GATEWAY_GROUP, kind: route.kind, namespace: route.namespace },
      { group: "", kind: "Service", namespace, name },
    )
  ) {
    return fail("RefNotPermitted", `Backend ref to Service ${namespace}/${name} is not permitted by any ReferenceGrant`);
  }
  if (ref.port === undefined) {
    return fail("PortNotSpecified", "A valid port number corresponding to a port on the Service must be specified");
  }
  const service = lookup(graph.resources.services, namespace, name);
  if (!service) return fail("BackendNotFound", `Service ${namespace}/${name} not found`);
  const svc = spec<ServiceSpec>(service);
  if (svc.type === "ExternalName") {
    return fail("UnsupportedValue", `Service ${namespace}/${name} is of type ExternalName, which is not supported as a backend`);
  }
  const transport = route.kind === "UDPRoute" ? "UDP" : "TCP";
  const port = (svc.ports ?? []).find((p) => p.port === ref.port && (p.protocol ?? "TCP") === transport);
  if (!port) return fail("PortNotFound", `${transport} port ${ref.port} not found on Service ${namespace}/${name}`);

  const protocol = upstreamProtocol(route.kind, port.appProtocol);
  result.websocket = protocol === "websocket";
  const policy = graph.policies.apply(namespace, name, port.name ?? "", opts.ancestor);
  if (policy.error) return fail("InvalidBackendTLS", policy.error);

  let tls = policy.tls;
  const clientCertificate = graph.gateways.get(`${opts.ancestor.namespace}/${opts.ancestor.name}`)?.clientCertificate;
  if (tls && clientCertificate) tls = { ...tls, clientCertificate };
  const cluster = registerCluster(graph, namespace, name, port, protocol, tls ? { tls, policy: policy.policy } : undefined);
  result.cluster = cluster.name;
  if (graph.checkEndpoints && !hasEndpoints(graph, namespace, name, port, transport)) {
    result.unavailable = {
      type: "BackendsAvailable",
      reason: "EndpointsNotFound",
      message: `No endpoints for the related Service ${namespace}/${name} port ${ref.port}`,
    };
  }
  return result;
}

/** How Envoy speaks to the backend: the route kind's default, refined by appProtocol for HTTPRoute. */
export function upstreamProtocol(kind: RouteKind, appProtocol: string | undefined): UpstreamProtocol {
  switch (kind) {
    case "UDPRoute":
      return "udp";
    case "TCPRoute":
    case "TLSRoute":
      return "tcp";
    case "GRPCRoute":
      return "http2";
    case "HTTPRoute":
      switch (appProtocol) {
        case "kubernetes.io/h2c":
        case "grpc":
          return "http2";
        case "kubernetes.io/ws":
        case "kubernetes.io/wss":
          return "websocket";
        default:
          return "http1";
      }
  }
}

function registerCluster(
  graph: TranslationGraph,
  namespace: string,
  name: string,
  port: ServicePort,
  protocol: UpstreamProtocol,
  policy: { tls?: Cluster["tls"]; policy?: string } | undefined,
): Cluster {
  const tlsPart = policy?.policy ? `/tls/${policy.policy}${policy.tls?.clientCertificate ? `/client/${policy.tls.clientCertificate}` : ""}` : "";
  const clusterName = `${namespace}/${name}/${port.port}/${protocol}${tlsPart}`;
  const existing = graph.clusters.get(clusterName);
  if (existing) return existing;
  const cluster: Cluster = {
    name: clusterName,
    service: {
      namespace,
      name,
      port: port.port!,
      portName: port.name ?? "",
      ...(typeof port.targetPort === "number" ? { targetPort: port.targetPort } : {}),
      ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}),
    },
    protocol,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    ...(policy?.tls ? { tls: policy.tls, tlsPolicy: policy.policy } : {}),
  };
  graph.clusters.set(clusterName, cluster);
  return cluster;
}

function hasEndpoints(graph: TranslationGraph, namespace: string, name: string, port: ServicePort, transport: string): boolean {
  for (const slice of graph.resources.slicesByService.get(`${namespace}/${name}`) ?? []) {
    const ports = slice.ports ?? [];
    const portMatches = ports.some((p) => (p.name ?? "") === (port.name ?? "") && (p.protocol ?? "TCP") === transport);
    if (!portMatches) continue;
    for (const ep of slice.endpoints ?? []) if ((ep.addresses ?? []).length > 0) return true;
  }
  return false;
}
