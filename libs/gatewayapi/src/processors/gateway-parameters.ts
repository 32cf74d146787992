// A Gateway's parameters as translation needs them: its spec.infrastructure.parametersRef
// resolved over its class's (parameters/, the resolver the infrastructure applier uses, so
// the two never disagree on what is valid), and the IP family its proxies listen on.
import type { IPFamily } from "@gatehouse/ir";
import type { GatewayNode, TranslationGraph } from "../graph";
import { CLUSTER_SERVICE, proxyIpFamily, resolveGatewayOverClass, serviceIpFamilyList, type GatewayInput, type ProxyConfigLookup } from "../parameters";
import { lookup } from "../resource-set";

export function proxyConfigLookup(graph: TranslationGraph): ProxyConfigLookup {
  return (namespace, name) => lookup(graph.resources.proxyConfigs, namespace, name);
}

/**
 * Resolves the Gateway's parameters: an invalid own reference rejects the Gateway
 * (Accepted=False/InvalidParameters naming the field); a valid one sets its IP family.
 * The class's reference was resolved once by the GatewayClass processor (an invalid one
 * leaves the class unaccepted and this Gateway unprocessed); only the Gateway's own is read here.
 */
export function resolveGatewayParameters(graph: TranslationGraph, node: GatewayNode): void {
  const classParameters = graph.classes.get(node.className)?.parameters;
  if (!classParameters) return;
  const params = resolveGatewayOverClass(classParameters, node.obj as unknown as GatewayInput, proxyConfigLookup(graph));
  if (!params.ok) {
    node.accepted = false;
    node.conditions.set("Accepted", "False", params.condition.reason, params.condition.message);
    return;
  }
  node.ipFamily = gatewayIpFamily(graph, params.spec.ipFamily);
}

/**
 * The family asked for, else the cluster's when the resources include Service
 * default/kubernetes (Kubernetes mode: the watcher publishes it), else undefined: the
 * translator's configured default applies, as before parameters existed.
 */
function gatewayIpFamily(graph: TranslationGraph, asked: IPFamily | undefined): IPFamily | undefined {
  if (asked) return asked;
  const clusterService = lookup(graph.resources.services, CLUSTER_SERVICE.namespace, CLUSTER_SERVICE.name);
  return clusterService ? proxyIpFamily(undefined, serviceIpFamilyList(clusterService)) : undefined;
}
