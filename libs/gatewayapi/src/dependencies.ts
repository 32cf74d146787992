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
  type ListenerSetSpec,
  type RouteSpec,
} from "./kube-types";
import { proxyObjectName } from "@gatehouse/kube";
import { CLUSTER_SERVICE, PROXY_CONFIG_GROUP, PROXY_CONFIG_KIND, type ParametersRef } from "./parameters";
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
  // ListenerSets by the Gateway they name: their listeners, certificates and routes are the Gateway's.
  const setsByGateway = new Map<string, KubeObject[]>();
  const gatewayOfSet = new Map<string, string>();
  for (const [setKey, set] of resources.listenerSets) {
    const ref = spec<ListenerSetSpec>(set).parentRef;
    if (!ref?.name) continue;
    const gwKey = nsName(ref.namespace || set.metadata?.namespace || "default", ref.name);
    setsByGateway.set(gwKey, [...(setsByGateway.get(gwKey) ?? []), set]);
    gatewayOfSet.set(setKey, gwKey);
  }
  const routesByGateway = new Map<string, KubeObject[]>();
  for (const [field] of ROUTE_KINDS) {
    for (const route of (resources[field] as Map<string, KubeObject>).values()) {
      const routeNs = route.metadata?.namespace || "default";
      for (const ref of asArray(spec<RouteSpec>(route).parentRefs)) {
        const kind = ref.kind ?? "Gateway";
        if ((kind !== "Gateway" && kind !== "ListenerSet") || !ref.name) continue;
        const parentKey = nsName(ref.namespace || routeNs, ref.name);
        const gwKey = kind === "Gateway" ? parentKey : gatewayOfSet.get(parentKey);
        if (!gwKey) continue;
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
    // Parameters (the class's and the Gateway's ProxyConfig), the cluster's IP families, the
    // proxy Service whose addresses are the Gateway's status.addresses, and the proxy
    // Deployment whose available replicas decide Programmed.
    const classRef = resources.gatewayClasses.get(nsName(undefined, s.gatewayClassName ?? ""))?.spec as { parametersRef?: ParametersRef } | undefined;
    for (const [ref, ns] of [[classRef?.parametersRef, classRef?.parametersRef?.namespace], [s.infrastructure?.parametersRef, gwNs]] as const) {
      if (ref?.group === PROXY_CONFIG_GROUP && ref.kind === PROXY_CONFIG_KIND && ref.name && ns) deps.add(objectKey(PROXY_CONFIG_KIND, ns, ref.name));
    }
    deps.add(objectKey("Service", CLUSTER_SERVICE.namespace, CLUSTER_SERVICE.name));
    deps.add(objectKey("Service", gwNs, proxyObjectName(gw.metadata!.name!)));
    deps.add(objectKey("Deployment", gwNs, proxyObjectName(gw.metadata!.name!)));
    namespaceKeys.forEach((k) => deps.add(k));
    const secretRefs = [
      ...asArray(s.listeners).flatMap((l) => asArray(l.tls?.certificateRefs).map((ref) => ({ ref, from: gwNs }))),
      ...(s.tls?.backend?.clientCertificateRef ? [{ ref: s.tls.backend.clientCertificateRef, from: gwNs }] : []),
    ];
    for (const set of setsByGateway.get(gwKey) ?? []) {
      const setNs = set.metadata?.namespace || "default";
      deps.add(objectKey("ListenerSet", setNs, set.metadata!.name!));
      for (const l of asArray(spec<ListenerSetSpec>(set).listeners)) {
        for (const ref of asArray(l.tls?.certificateRefs)) secretRefs.push({ ref, from: setNs });
      }
    }
    for (const { ref, from } of secretRefs) {
      const ns = ref.namespace || from;
      deps.add(objectKey("Secret", ns, ref.name ?? ""));
      if (ns !== from) grantsIn(ns).forEach((k) => deps.add(k));
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
    // Mirrors on the rule and on each backendRef.
    const filters = [...asArray(rule.filters), ...asArray(rule.backendRefs).flatMap((b) => asArray((b as { filters?: HTTPRouteFilter[] }).filters))];
    for (const f of filters) if (f.requestMirror?.backendRef) refs.push(f.requestMirror.backendRef);
  }
  return refs;
}
