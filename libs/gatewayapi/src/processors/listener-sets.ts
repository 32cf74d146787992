// ListenerSet processor (Gateway API v1.6 standard, GEP-1713): listeners contributed to a
// parent Gateway. A ListenerSet attaches when its Gateway is ours and accepted and the
// Gateway's spec.allowedListeners admits its namespace (None by default). Listeners merge in
// precedence order: the Gateway's own first, then ListenerSets oldest first, then by
// namespace/name; a listener that conflicts with an earlier one is the one Conflicted.
// Routes reach these listeners only through a parentRef of kind ListenerSet (parent-refs.ts).
import { ConditionSet } from "../conditions";
import { crdViolations, violationMessage } from "../crd-violations";
import { GATEWAY_GROUP, asArray, spec, type ListenerSetSpec } from "../kube-types";
import type { GatewayNode, ListenerNode, ListenerSetNode, TranslationGraph } from "../graph";
import { compileSelector } from "@gatehouse/validation";
import { sortedRoutes } from "../parent-refs";
import { nsName } from "../resource-set";
import { buildListeners, namespaceLabels } from "./listeners";

export function processListenerSets(graph: TranslationGraph): void {
  // sortedRoutes orders any objects the way the spec orders ListenerSets: age, then namespace/name.
  for (const obj of sortedRoutes(graph.resources.listenerSets)) {
    const s = spec<ListenerSetSpec>(obj);
    const ref = s.parentRef;
    if (!ref?.name || (ref.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref.kind ?? "Gateway") !== "Gateway") continue;
    const namespace = obj.metadata?.namespace || "default";
    const gateway = graph.gateways.get(nsName(ref.namespace || namespace, ref.name));
    if (!gateway) continue; // Not one of our Gateways: another controller's to report.
    const node: ListenerSetNode = {
      obj,
      key: nsName(namespace, obj.metadata!.name!),
      namespace,
      name: obj.metadata!.name!,
      gateway,
      conditions: new ConditionSet(obj.metadata?.generation),
      accepted: false,
      listeners: [],
    };
    graph.listenerSets.set(node.key, node);
    gateway.listenerSets.push(node);
    const refuse = (reason: string, message: string) => {
      node.conditions.set("Accepted", "False", reason, message);
      node.conditions.set("Programmed", "False", reason, message);
    };
    if (!gateway.accepted) {
      refuse("ParentNotAccepted", `Parent Gateway ${gateway.key} is not accepted`);
      continue;
    }
    const notAllowed = allowedBy(graph, gateway, namespace);
    if (notAllowed) {
      refuse("NotAllowed", notAllowed);
      continue;
    }
    const violations = crdViolations(obj);
    if (violations) {
      refuse("Invalid", violationMessage(violations));
      continue;
    }
    node.listeners = buildListeners(graph, gateway, asArray(s.listeners), node, mergedListeners(gateway));
    const ready = node.listeners.filter((l) => l.ready).length;
    if (ready === 0) {
      refuse("ListenersNotValid", "ListenerSet has no valid listeners");
    } else {
      node.accepted = true;
      if (ready < node.listeners.length) {
        node.conditions.set("Accepted", "True", "ListenersNotValid", `${node.listeners.length - ready} of ${node.listeners.length} listeners are not valid`);
      } else {
        node.conditions.set("Accepted", "True", "Accepted", "ListenerSet is attached to its parent Gateway");
      }
      node.conditions.set("Programmed", "True", "Programmed", `${ready} of ${node.listeners.length} listeners programmed`);
    }
  }
}

/** Why the Gateway's spec.allowedListeners refuses ListenerSets from `namespace`, or undefined when it admits them. */
function allowedBy(graph: TranslationGraph, gateway: GatewayNode, namespace: string): string | undefined {
  const allowed = gateway.spec.allowedListeners?.namespaces;
  const from = allowed?.from ?? "None";
  const refused = `ListenerSet is not allowed by the Gateway's allowedListeners (from: ${from})`;
  switch (from) {
    case "Same":
      return namespace === gateway.namespace ? undefined : refused;
    case "All":
      return namespaceLabels(graph, namespace) !== undefined ? undefined : refused;
    case "Selector": {
      const compiled = compileSelector(allowed?.selector ?? {});
      if (!compiled.ok) return `The Gateway's allowedListeners selector could not be parsed: ${compiled.error}`;
      const labels = namespaceLabels(graph, namespace);
      return labels !== undefined && compiled.matches(labels) ? undefined : refused;
    }
    default:
      return refused;
  }
}

/** The Gateway's listeners with those of its attached ListenerSets, in merge order. */
export function mergedListeners(gateway: GatewayNode): ListenerNode[] {
  return [...gateway.listeners, ...gateway.listenerSets.filter((s) => s.accepted).flatMap((s) => s.listeners)];
}
