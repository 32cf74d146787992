// Status updates as the controller writes them: our entries are rebuilt from scratch (stale
// input status is never merged in); entries other controllers own are kept as they were.
import type { KubeObject, ParentReference } from "./kube-types";
import type { ListenerNode, TranslationGraph } from "./graph";
import { boundStatusLists } from "./status-truncation";

export interface StatusUpdate {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  status: Record<string, unknown>;
}

function update(obj: KubeObject, status: Record<string, unknown>): StatusUpdate {
  const out: StatusUpdate = {
    apiVersion: obj.apiVersion ?? "gateway.networking.k8s.io/v1",
    kind: obj.kind ?? "",
    name: obj.metadata?.name ?? "",
    status,
  };
  if (obj.metadata?.namespace) out.namespace = obj.metadata.namespace;
  return out;
}

/** Entries of a status list (parents or ancestors) that another controller wrote. */
function foreignEntries(obj: KubeObject, field: "parents" | "ancestors", controllerName: string): unknown[] {
  const status = obj.status as Record<string, unknown> | undefined;
  const list = status?.[field];
  if (!Array.isArray(list)) return [];
  return list.filter((e) => e && typeof e === "object" && (e as { controllerName?: string }).controllerName !== controllerName);
}

export function collectStatuses(graph: TranslationGraph): StatusUpdate[] {
  const out: StatusUpdate[] = [];
  for (const { obj, conditions } of graph.classes.values()) {
    out.push(update(obj, { conditions: conditions.toArray() }));
  }
  for (const gw of graph.gateways.values()) {
    const status: Record<string, unknown> = { conditions: gw.conditions.toArray(), listeners: gw.listeners.map(listenerStatus) };
    if (gw.addresses && gw.addresses.length > 0) status.addresses = gw.addresses;
    // Reported once ListenerSets are in play (allowed or trying to attach), so 0 means "none attached".
    if (gw.spec.allowedListeners || gw.listenerSets.length > 0) status.attachedListenerSets = gw.listenerSets.filter((s) => s.accepted).length;
    out.push(update(gw.obj, status));
  }
  for (const set of graph.listenerSets.values()) {
    out.push(update(set.obj, { conditions: set.conditions.toArray(), listeners: set.listeners.map(listenerStatus) }));
  }
  const routes = graph.routes.map((route) => ({ route, key: `${route.kind}/${route.namespace}/${route.name}` }));
  routes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { route } of routes) {
    const parents = route.parents.map((p) => ({
      parentRef: cleanRef(p.written),
      controllerName: graph.controllerName,
      conditions: p.conditions.toArray(),
    }));
    const all = [...parents, ...foreignEntries(route.obj, "parents", graph.controllerName)];
    out.push(update(route.obj, bound({ parents: all }, route.obj, graph.controllerName)));
  }
  for (const { obj, ancestors } of graph.policies.statuses(graph.controllerName)) {
    const all = [...ancestors, ...foreignEntries(obj, "ancestors", graph.controllerName)];
    out.push(update(obj, bound({ ancestors: all }, obj, graph.controllerName)));
  }
  return out;
}

/** The CRDs bound these lists (32 parents, 16 ancestors): see status-truncation.ts. */
function bound(status: Record<string, unknown>, obj: KubeObject, controllerName: string): Record<string, unknown> {
  return boundStatusLists(status, { controllerName, namespace: obj.metadata?.namespace || "default", generation: obj.metadata?.generation });
}

function listenerStatus(l: ListenerNode): Record<string, unknown> {
  return {
    name: l.name,
    supportedKinds: l.supportedKinds.map((k) => ({ group: k.group, kind: k.kind })),
    attachedRoutes: l.attachedRoutes,
    conditions: l.conditions.toArray(),
  };
}

function cleanRef(ref: ParentReference): ParentReference {
  const out: ParentReference = {};
  for (const k of ["group", "kind", "namespace", "name", "sectionName", "port"] as const) {
    if (ref[k] !== undefined) (out as Record<string, unknown>)[k] = ref[k];
  }
  return out;
}
