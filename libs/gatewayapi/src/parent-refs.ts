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
    if ((raw.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (raw.kind ?? "Gateway") !== "Gateway") continue;
    const ref: ParentReference = { ...raw, namespace: raw.namespace || namespace };
    const gateway = graph.gateways.get(nsName(ref.namespace, raw.name ?? ""));
    if (!gateway) continue;
    const dedupe = `${ref.namespace}/${ref.name}/${ref.sectionName ?? ""}/${ref.port ?? ""}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const parent: ParentNode = { ref, written: raw, gateway, conditions: new ConditionSet(route.generation), listeners: [] };
    route.parents.push(parent);
    const selected = gateway.listeners.filter(
      (l) => (ref.sectionName === undefined || ref.sectionName === l.name) && (ref.port === undefined || ref.port === l.port),
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
