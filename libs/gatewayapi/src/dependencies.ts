// Which objects each Gateway's translation reads, so a change to one object retranslates
// only the Gateways that depend on it. Deliberately generous (it lists what might be read,
// including objects that do not exist yet, so their creation is noticed); it never misses a
// dependency translate() has.
import {
  asArray,
  objectKey,
  spec,
  type BackendObjectReference,
  type BackendTLSPolicySpec,
  type GatewaySpec,
  type HTTPRouteFilter,
  type KubeObject,
  type RouteSpec,
} from "./kube-types";
import { nsName, type ResourceSet } from "./resource-set";

const ROUTE_KINDS: [keyof ResourceSet, string][] = [
  ["httpRoutes", "HTTPRoute"],
  ["grpcRoutes", "GRPCRoute"],
  ["tlsRoutes", "TLSRoute"],
  ["tcpRoutes", "TCPRoute"],
  ["udpRoutes", "UDPRoute"],
];

/** Gateway "namespace/name" -> sorted object keys ("Kind/namespace/name") its translation reads. */
export function gatewayDependencies(resources: ResourceSet): Map<string, string[]> {
  const routesByGateway = new Map<string, KubeObject[]>();
  for (const [field] of ROUTE_KINDS) {
    for (const route of (resources[field] as Map<string, KubeObject>).values()) {
      const routeNs = route.metadata?.namespace || "default";
      for (const ref of asArray(spec<RouteSpec>(route).parentRefs)) {
        if ((ref.kind ?? "Gateway") !== "Gateway" || !ref.name) continue;
        const gwKey = nsName(ref.namespace || routeNs, ref.name);
        const list = routesByGateway.get(gwKey) ?? [];
        if (!list.includes(route)) list.push(route);
        routesByGateway.set(gwKey, list);
      }
    }
  }
  const policiesByService = new Map<string, KubeObject[]>();
  for (const policy of resources.backendTLSPolicies.values()) {
    const ns = policy.metadata?.namespace || "default";
    for (const t of asArray(spec<BackendTLSPolicySpec>(policy).targetRefs)) {
      if (!t.name) continue;
      const list = policiesByService.get(nsName(ns, t.name)) ?? [];
      list.push(policy);
      policiesByService.set(nsName(ns, t.name), list);
    }
  }
  const namespaceKeys = [...resources.namespaces.values()].map((n) => objectKey("Namespace", undefined, n.metadata!.name!));
  const grantsIn = (ns: string) =>
    [...resources.referenceGrants.values()].filter((g) => (g.metadata?.namespace || "default") === ns).map((g) => objectKey("ReferenceGrant", ns, g.metadata!.name!));

  const out = new Map<string, string[]>();
  for (const [gwKey, gw] of resources.gateways) {
    const deps = new Set<string>();
    const gwNs = gw.metadata?.namespace || "default";
    const s = spec<GatewaySpec>(gw);
    deps.add(objectKey("Gateway", gwNs, gw.metadata!.name!));
    if (s.gatewayClassName) deps.add(objectKey("GatewayClass", undefined, s.gatewayClassName));
    namespaceKeys.forEach((k) => deps.add(k));
    const secretRefs = [
      ...asArray(s.listeners).flatMap((l) => asArray(l.tls?.certificateRefs)),
      ...(s.tls?.backend?.clientCertificateRef ? [s.tls.backend.clientCertificateRef] : []),
    ];
    for (const ref of secretRefs) {
      const ns = ref.namespace || gwNs;
      deps.add(objectKey("Secret", ns, ref.name ?? ""));
      if (ns !== gwNs) grantsIn(ns).forEach((k) => deps.add(k));
    }
    for (const route of routesByGateway.get(gwKey) ?? []) {
      const routeNs = route.metadata?.namespace || "default";
      deps.add(objectKey(route.kind ?? "", routeNs, route.metadata!.name!));
      for (const ref of backendRefsOf(route)) {
        if ((ref.kind ?? "Service") !== "Service" || !ref.name) continue;
        const ns = ref.namespace || routeNs;
        deps.add(objectKey("Service", ns, ref.name));
        if (ns !== routeNs) grantsIn(ns).forEach((k) => deps.add(k));
        for (const slice of resources.slicesByService.get(nsName(ns, ref.name)) ?? []) {
          deps.add(objectKey("EndpointSlice", ns, slice.metadata!.name!));
        }
        for (const policy of policiesByService.get(nsName(ns, ref.name)) ?? []) {
          deps.add(objectKey("BackendTLSPolicy", ns, policy.metadata!.name!));
          for (const ca of asArray(spec<BackendTLSPolicySpec>(policy).validation?.caCertificateRefs)) {
            if (ca.kind === "ConfigMap" || ca.kind === "Secret") deps.add(objectKey(ca.kind, ns, ca.name ?? ""));
          }
        }
      }
    }
    out.set(gwKey, [...deps].sort());
  }
  return out;
}

function backendRefsOf(route: KubeObject): BackendObjectReference[] {
  const refs: BackendObjectReference[] = [];
  for (const rule of asArray(spec<{ rules?: { backendRefs?: BackendObjectReference[]; filters?: HTTPRouteFilter[] }[] }>(route).rules)) {
    refs.push(...asArray(rule.backendRefs));
    for (const f of asArray(rule.filters)) if (f.requestMirror?.backendRef) refs.push(f.requestMirror.backendRef);
  }
  return refs;
}
