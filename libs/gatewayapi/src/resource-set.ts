// Everything translation reads, indexed once: objects by kind and namespaced name, plus the
// lookups every processor needs (Services, Secrets, slices per Service). Built from a flat
// object list so the CLI, the translator service and tests all feed it the same way.
import { namespaceOf } from "@gatehouse/kube";
import type { EndpointSlice, KubeObject } from "./kube-types";

/** Objects of one kind by "namespace/name" ("/name" for cluster-scoped kinds). */
export type KindIndex<T extends KubeObject = KubeObject> = Map<string, T>;

export interface ResourceSet {
  gatewayClasses: KindIndex;
  gateways: KindIndex;
  listenerSets: KindIndex;
  httpRoutes: KindIndex;
  grpcRoutes: KindIndex;
  tlsRoutes: KindIndex;
  tcpRoutes: KindIndex;
  udpRoutes: KindIndex;
  referenceGrants: KindIndex;
  backendTLSPolicies: KindIndex;
  services: KindIndex;
  secrets: KindIndex;
  configMaps: KindIndex;
  namespaces: KindIndex;
  endpointSlices: KindIndex<EndpointSlice>;
  /** Our GatewayClass and Gateway parameters (parameters/), checked by their resolver, not by admission. */
  proxyConfigs: KindIndex;
  /** Our proxies' Deployments (the watcher publishes no other, cut down to their replica counts). */
  deployments: KindIndex;
  /** EndpointSlices by "namespace/serviceName" (label kubernetes.io/service-name). */
  slicesByService: Map<string, EndpointSlice[]>;
}

const KIND_FIELD: Record<string, keyof Omit<ResourceSet, "slicesByService">> = {
  GatewayClass: "gatewayClasses",
  Gateway: "gateways",
  ListenerSet: "listenerSets",
  HTTPRoute: "httpRoutes",
  GRPCRoute: "grpcRoutes",
  TLSRoute: "tlsRoutes",
  TCPRoute: "tcpRoutes",
  UDPRoute: "udpRoutes",
  ReferenceGrant: "referenceGrants",
  BackendTLSPolicy: "backendTLSPolicies",
  Service: "services",
  Secret: "secrets",
  ConfigMap: "configMaps",
  Namespace: "namespaces",
  EndpointSlice: "endpointSlices",
  ProxyConfig: "proxyConfigs",
  Deployment: "deployments",
};

export function emptyResourceSet(): ResourceSet {
  return {
    gatewayClasses: new Map(),
    gateways: new Map(),
    listenerSets: new Map(),
    httpRoutes: new Map(),
    grpcRoutes: new Map(),
    tlsRoutes: new Map(),
    tcpRoutes: new Map(),
    udpRoutes: new Map(),
    referenceGrants: new Map(),
    backendTLSPolicies: new Map(),
    services: new Map(),
    secrets: new Map(),
    configMaps: new Map(),
    namespaces: new Map(),
    endpointSlices: new Map(),
    proxyConfigs: new Map(),
    deployments: new Map(),
    slicesByService: new Map(),
  };
}

/** Later objects with the same kind and name replace earlier ones (as a re-apply would). */
export function resourceSetFrom(objects: Iterable<KubeObject>): ResourceSet {
  const set = emptyResourceSet();
  for (const obj of objects) addObject(set, obj);
  return set;
}

export function addObject(set: ResourceSet, obj: KubeObject): void {
  const field = obj.kind ? KIND_FIELD[obj.kind] : undefined;
  if (!field || !obj.metadata?.name) return;
  const key = nsName(namespaceOf(obj), obj.metadata.name);
  (set[field] as KindIndex).set(key, obj);
  if (field === "endpointSlices") {
    const svc = obj.metadata.labels?.["kubernetes.io/service-name"];
    if (svc) {
      const svcKey = nsName(namespaceOf(obj), svc);
      const list = set.slicesByService.get(svcKey) ?? [];
      list.push(obj as EndpointSlice);
      set.slicesByService.set(svcKey, list);
    }
  }
}

export function nsName(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

/** Cluster-scoped kinds are keyed "/name". */
export function lookup<T extends KubeObject>(index: KindIndex<T>, namespace: string | undefined, name: string): T | undefined {
  return index.get(nsName(namespace, name));
}

/** All Gateway API objects of the set, in a stable order (kind, then namespace/name). */
export function gatewayAPIObjects(set: ResourceSet): KubeObject[] {
  const fields: (keyof ResourceSet)[] = [
    "gatewayClasses",
    "gateways",
    "listenerSets",
    "httpRoutes",
    "grpcRoutes",
    "tlsRoutes",
    "tcpRoutes",
    "udpRoutes",
    "referenceGrants",
    "backendTLSPolicies",
  ];
  const out: KubeObject[] = [];
  for (const f of fields) {
    const index = set[f] as KindIndex;
    for (const key of [...index.keys()].sort()) out.push(index.get(key)!);
  }
  return out;
}
