// The cluster the kube-sync benchmark loads into the Kubernetes API test server: Namespaces,
// Services, EndpointSlices, HTTPRoutes on a few Gateways of our GatewayClass, as a real
// cluster holds them (kubectl's last-applied annotation and managedFields, controller-owned
// slices with 3 to 10 endpoints in every condition, routes with status), plus what must NOT
// reach the bus (another controller's GatewayClass, unreferenced Secrets). Deterministic for
// a seed, so two runs load the same bytes. Plain data: the API server process creates it.
import type { KubeObject } from "@gatehouse/kube";
import { seededRandom } from "@gatehouse/testing";

export interface ClusterSize {
  services: number;
  slices: number;
  routes: number;
  gateways: number;
  /** Namespaces the Services and routes are spread over. */
  namespaces: number;
  seed: number;
}

export const GW_GROUP = "gateway.networking.k8s.io";
const GWV1 = `${GW_GROUP}/v1`;
export const GATEWAY_NAMESPACE = "gateways";
export const CLASS_NAME = "gatehouse";
const TIME = "2026-11-01T10:00:00Z";
const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/** The namespaces of a size: what it asked for, but never more than there are Services. */
export function namespaceCount(size: Pick<ClusterSize, "services" | "namespaces">): number {
  return Math.max(1, Math.min(size.namespaces, size.services));
}

const nsName = (n: number) => `team-${n}`;
const serviceNamespace = (i: number, namespaces: number) => nsName(i % namespaces);
const serviceName = (i: number) => `svc-${i}`;

/** kubectl apply's copy of what it applied, as it stores it on the object. */
function lastApplied(obj: KubeObject): Record<string, string> {
  const { metadata, ...rest } = obj;
  const applied = { ...rest, metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels, annotations: {} } };
  return { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(applied) + "\n" };
}

const managed = (manager: string, apiVersion: string, fieldsV1: unknown, subresource?: string) => ({
  manager,
  operation: "Update",
  apiVersion,
  time: TIME,
  fieldsType: "FieldsV1",
  fieldsV1,
  ...(subresource ? { subresource } : {}),
});

const fieldsOf = (keys: string[]) => Object.fromEntries(keys.map((k) => [`f:${k}`, {}]));

export function namespace(name: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: { "kubernetes.io/metadata.name": name } },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

export function service(i: number, namespaces: number): KubeObject {
  const name = serviceName(i);
  const ns = serviceNamespace(i, namespaces);
  const obj: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: ns, labels: { app: name, "app.kubernetes.io/part-of": ns } },
    spec: {
      clusterIP: `10.96.${(i >> 8) & 255}.${i & 255}`,
      clusterIPs: [`10.96.${(i >> 8) & 255}.${i & 255}`],
      internalTrafficPolicy: "Cluster",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }],
      selector: { app: name },
      sessionAffinity: "None",
      type: "ClusterIP",
    },
    status: { loadBalancer: {} },
  };
  obj.metadata.annotations = lastApplied(obj);
  obj.metadata.managedFields = [
    managed("kubectl-client-side-apply", "v1", {
      "f:metadata": { "f:annotations": { ".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {} }, "f:labels": { ".": {}, ...fieldsOf(["app", "app.kubernetes.io/part-of"]) } },
      "f:spec": {
        ...fieldsOf(["internalTrafficPolicy", "sessionAffinity", "type"]),
        "f:ports": { ".": {}, 'k:{"port":80,"protocol":"TCP"}': { ".": {}, ...fieldsOf(["name", "port", "protocol", "targetPort"]) } },
        "f:selector": {},
      },
    }),
  ];
  return obj;
}

/** Endpoint conditions as a cluster shows them mid-life: mostly ready, some terminating (serving or not), some starting. */
function conditions(r: number): { ready: boolean; serving: boolean; terminating: boolean } {
  if (r < 0.85) return { ready: true, serving: true, terminating: false };
  if (r < 0.92) return { ready: false, serving: true, terminating: true };
  if (r < 0.97) return { ready: false, serving: false, terminating: true };
  return { ready: false, serving: false, terminating: false };
}

const hex = (rand: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
const suffix = (rand: () => number) => Array.from({ length: 5 }, () => "bcdfghjklmnpqrstvwxz2456789"[Math.floor(rand() * 27)]).join("");
const uid = (rand: () => number) => `${hex(rand, 8)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 12)}`;

/** Slice `k` of Service `k % services`: 3 to 10 endpoints, owned by the Service (its uid is filled in when created). */
export function endpointSlice(k: number, size: ClusterSize, rand: () => number): KubeObject {
  const svc = k % size.services;
  const ns = serviceNamespace(svc, namespaceCount(size));
  const svcName = serviceName(svc);
  const count = 3 + Math.floor(rand() * 8);
  const endpoints = Array.from({ length: count }, (_, e) => {
    const pod = `${svcName}-${hex(rand, 10)}-${suffix(rand)}`;
    return {
      addresses: [`10.${(k >> 12) & 255}.${(k >> 4) & 255}.${((k & 15) << 4) + e}`],
      conditions: conditions(rand()),
      nodeName: `node-${Math.floor(rand() * 200)}`,
      targetRef: { kind: "Pod", name: pod, namespace: ns, uid: uid(rand) },
      zone: `zone-${"abc"[Math.floor(rand() * 3)]}`,
    };
  });
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `${svcName}-${suffix(rand)}`,
      generateName: `${svcName}-`,
      namespace: ns,
      labels: { app: svcName, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io", [SERVICE_NAME_LABEL]: svcName },
      annotations: { "endpoints.kubernetes.io/last-change-trigger-time": TIME },
      ownerReferences: [{ apiVersion: "v1", kind: "Service", name: svcName, uid: "", controller: true, blockOwnerDeletion: true }],
      managedFields: [
        managed("kube-controller-manager", "discovery.k8s.io/v1", {
          ...fieldsOf(["addressType", "endpoints", "ports"]),
          "f:metadata": {
            "f:annotations": { ".": {}, "f:endpoints.kubernetes.io/last-change-trigger-time": {} },
            "f:generateName": {},
            "f:labels": { ".": {}, ...fieldsOf(["app", "endpointslice.kubernetes.io/managed-by", SERVICE_NAME_LABEL]) },
            "f:ownerReferences": { ".": {}, [`k:{"uid":"${uid(rand)}"}`]: {} },
          },
        }),
      ],
    },
    addressType: "IPv4",
    endpoints,
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
  };
}

/** The Services of route `r`: its namespace's Services shared out among its namespace's routes. */
function routeServices(r: number, size: ClusterSize): number[] {
  const namespaces = namespaceCount(size);
  const n = r % namespaces;
  const routesHere = Math.floor((size.routes - 1 - n) / namespaces) + 1;
  const q = Math.floor(r / namespaces);
  const out: number[] = [];
  for (let i = n; i < size.services; i += namespaces) if (Math.floor(i / namespaces) % routesHere === q) out.push(i);
  return out.length > 0 ? out : [n];
}

export function httpRoute(r: number, size: ClusterSize): KubeObject {
  const namespaces = namespaceCount(size);
  const ns = nsName(r % namespaces);
  const gateway = `gw-${r % size.gateways}`;
  const parentRef = { group: GW_GROUP, kind: "Gateway", name: gateway, namespace: GATEWAY_NAMESPACE };
  const obj: KubeObject = {
    apiVersion: GWV1,
    kind: "HTTPRoute",
    metadata: { name: `route-${r}`, namespace: ns, labels: { app: `route-${r}` } },
    spec: {
      parentRefs: [parentRef],
      hostnames: [`app-${r}.example.com`],
      rules: routeServices(r, size).map((svc, j) => ({
        matches: [{ path: { type: "PathPrefix", value: `/${serviceName(svc)}` }, ...(j % 3 === 1 ? { headers: [{ type: "Exact", name: "x-canary", value: "true" }] } : {}) }],
        ...(j % 4 === 2 ? { filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { add: [{ name: "x-route", value: `route-${r}` }] } }] } : {}),
        backendRefs: [{ group: "", kind: "Service", name: serviceName(svc), port: 80, weight: 1 }],
      })),
    },
  };
  obj.metadata.annotations = lastApplied(obj);
  obj.metadata.managedFields = [managed("kubectl-client-side-apply", GWV1, { "f:metadata": { "f:annotations": {}, "f:labels": {} }, "f:spec": fieldsOf(["hostnames", "parentRefs", "rules"]) })];
  return obj;
}

/** The status our controller wrote on a route before this watcher started (a restart, not a fresh install). */
export function routeStatus(route: KubeObject, controllerName: string): Record<string, unknown> {
  const spec = route.spec as { parentRefs: Record<string, unknown>[] };
  const condition = (type: string, reason: string) => ({ type, status: "True", reason, message: "", lastTransitionTime: TIME, observedGeneration: 1 });
  return { parents: spec.parentRefs.map((parentRef) => ({ parentRef, controllerName, conditions: [condition("Accepted", "Accepted"), condition("ResolvedRefs", "ResolvedRefs")] })) };
}

export function gateway(g: number): KubeObject {
  const all = { namespaces: { from: "All" } };
  return {
    apiVersion: GWV1,
    kind: "Gateway",
    metadata: { name: `gw-${g}`, namespace: GATEWAY_NAMESPACE },
    spec: {
      gatewayClassName: CLASS_NAME,
      listeners: [
        { name: "http", port: 80, protocol: "HTTP", allowedRoutes: all },
        { name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: `gw-${g}-tls` }] }, allowedRoutes: all },
      ],
    },
  };
}

function secret(name: string, ns: string, type: string, data: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, type, data };
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

export function gatewayClass(name: string, controllerName: string): KubeObject {
  return { apiVersion: GWV1, kind: "GatewayClass", metadata: { name }, spec: { controllerName } };
}

/** Every object of the cluster in creation order (Namespaces first), and which of them the watcher publishes. */
export function clusterObjects(size: ClusterSize, controllerName: string): { objects: KubeObject[]; published: KubeObject[] } {
  const rand = seededRandom(size.seed);
  const namespaces = namespaceCount(size);
  const pem = (label: string) => `-----BEGIN ${label}-----\n${b64(hex(rand, 900))}\n-----END ${label}-----\n`;
  const published: KubeObject[] = [];
  const unpublished: KubeObject[] = [];

  for (const name of ["default", GATEWAY_NAMESPACE, ...Array.from({ length: namespaces }, (_, n) => nsName(n))]) published.push(namespace(name));
  published.push(gatewayClass(CLASS_NAME, controllerName));
  unpublished.push(gatewayClass("other", "example.com/another-controller"));
  published.push({ ...service(0, 1), metadata: { name: "kubernetes", namespace: "default" } });
  for (let g = 0; g < size.gateways; g++) {
    published.push(gateway(g));
    published.push(secret(`gw-${g}-tls`, GATEWAY_NAMESPACE, "kubernetes.io/tls", { "tls.crt": b64(pem("CERTIFICATE")), "tls.key": b64(pem("PRIVATE KEY")) }));
  }
  // Secrets nothing of ours references: a real cluster has many; none is listed or published.
  for (let n = 0; n < namespaces; n++) unpublished.push(secret("app-credentials", nsName(n), "Opaque", { password: b64(hex(rand, 32)) }));
  for (let i = 0; i < size.services; i++) published.push(service(i, namespaces));
  for (let k = 0; k < size.slices; k++) published.push(endpointSlice(k, size, rand));
  for (let r = 0; r < size.routes; r++) published.push(httpRoute(r, size));
  return { objects: [...published, ...unpublished], published };
}

/**
 * Change `n` of an EndpointSlice, as a rolling update makes them: one endpoint starts
 * terminating, or a terminating one is replaced by a new ready pod. Returns a new object.
 */
export function changeSlice(slice: KubeObject, n: number): KubeObject {
  const next = structuredClone(slice) as KubeObject & { endpoints: { addresses: string[]; conditions: Record<string, boolean> }[] };
  const e = next.endpoints[n % next.endpoints.length];
  e.conditions = e.conditions.terminating ? { ready: true, serving: true, terminating: false } : { ready: false, serving: true, terminating: true };
  next.metadata.annotations = { ...(next.metadata.annotations as Record<string, string>), "endpoints.kubernetes.io/last-change-trigger-time": new Date(Date.UTC(2026, 10, 1, 11, 0, n % 3600)).toISOString().replace(/\.\d+Z$/, "Z") };
  return next;
}
