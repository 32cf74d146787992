// Route attachment: which of our Gateways' listeners each parentRef selects (by sectionName
// and port), and which of those allow the route's kind and namespace. Sets the initial
// Accepted condition of each parent; route processors refine it.
import { ConditionSet } from "./conditions";
import { GATEWAY_GROUP, asArray, spec, type KubeObject, type ParentReference, type RouteSpec } from "./kube-types";
import type { ListenerNode, ParentNode, RouteKind, RouteNode, TranslationGraph } from "./graph";
import { nsName } from "./resource-set";

/** Builds the RouteNode, or undefined when no parentRef points at one of our Gateways. */
export function attachRoute(graph: TranslationGraph, obj: KubeObject, kind: RouteKind): RouteNode | undefined {
  const namespace = obj.metadata?.namespace || "default";
  const route: RouteNode = {
    obj,
    kind,
    namespace,
    name: obj.metadata!.name!,
    generation: obj.metadata?.generation,
    created: obj.metadata?.creationTimestamp ?? "",
    order: graph.routeOrder.get(obj) ?? 0,
    parents: [],
  };
  const seen = new Set<string>();
  for (const raw of asArray(spec<RouteSpec>(obj).parentRefs)) {
    if ((raw.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP) continue;
    const parentKind = raw.kind ?? "Gateway";
    const parentKey = nsName(raw.namespace || namespace, raw.name ?? "");
    // A Gateway parentRef reaches the Gateway's own listeners; a ListenerSet one only that set's.
    const set = parentKind === "ListenerSet" ? graph.listenerSets.get(parentKey) : undefined;
    const gateway = parentKind === "Gateway" ? graph.gateways.get(parentKey) : set?.gateway;
    if (!gateway) continue;
    // Through a ListenerSet, traffic still reaches the backends through its Gateway (the BackendTLSPolicy ancestor).
    const ref: ParentReference = set
      ? { group: GATEWAY_GROUP, kind: "Gateway", namespace: gateway.namespace, name: gateway.name, ...(raw.sectionName !== undefined ? { sectionName: raw.sectionName } : {}) }
      : { ...raw, namespace: raw.namespace || namespace };
    const dedupe = `${parentKind}/${parentKey}/${raw.sectionName ?? ""}/${raw.port ?? ""}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const parent: ParentNode = { ref, written: raw, gateway, conditions: new ConditionSet(route.generation), listeners: [] };
    route.parents.push(parent);
    if (set && !set.accepted) {
      parent.conditions.set("Accepted", "False", "NoMatchingParent", `ListenerSet ${set.key} is not attached to its Gateway`);
      continue;
    }
    const candidates = set ? set.listeners : gateway.listeners;
    const selected = candidates.filter(
      (l) => (raw.sectionName === undefined || raw.sectionName === l.name) && (raw.port === undefined || raw.port === l.port),
    );
    if (selected.length === 0) {
      parent.conditions.set("Accepted", "False", "NoMatchingParent", "No listeners match this parent ref");
      continue;
    }
    const allowed = selected.filter((l) => allowsKind(l, kind) && l.allowsNamespace(namespace));
    if (allowed.length === 0) {
      parent.conditions.set("Accepted", "False", "NotAllowedByListeners", "No listeners included by this parent ref allowed this attachment");
      continue;
    }
    parent.listeners = allowed;
    parent.conditions.set("Accepted", "True", "Accepted", "Route is accepted");
  }
  return route.parents.length > 0 ? route : undefined;
}

function allowsKind(l: ListenerNode, kind: RouteKind): boolean {
  return l.supportedKinds.some((k) => k.kind === kind && k.group === GATEWAY_GROUP);
}

/** Routes of one kind in processing order: oldest first, then by namespace/name (spec). */
export function sortedRoutes(routes: Map<string, KubeObject> | KubeObject[]): KubeObject[] {
  const list = Array.isArray(routes) ? routes : [...routes.values()];
  const keyed = list.map((obj) => ({
    obj,
    created: obj.metadata?.creationTimestamp ?? "",
    key: nsName(obj.metadata?.namespace, obj.metadata?.name ?? ""),
  }));
  keyed.sort((a, b) =>
    a.created !== b.created ? (a.created < b.created ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  return keyed.map((k) => k.obj);
}
