// GatewayClass processor: a class is ours when its controllerName is ours; ours are
// Accepted, everyone else's are left untouched (their controller writes their status).
// A class's spec.parametersRef must name a valid ProxyConfig (parameters/: the one resolver
// the watcher's infrastructure applier uses too); one that is missing, invalid or of a kind
// we do not know makes the class Accepted=False/InvalidParameters, and its Gateways are left
// alone, as the spec asks.
import { ConditionSet } from "../conditions";
import { spec } from "../kube-types";
import type { TranslationGraph } from "../graph";
import { resolveGatewayClassParameters, type GatewayClassInput } from "../parameters";
import { proxyConfigLookup } from "./gateway-parameters";

export function processGatewayClasses(graph: TranslationGraph): void {
  const index = graph.resources.gatewayClasses;
  const lookup = proxyConfigLookup(graph);
  for (const key of [...index.keys()].sort()) {
    const obj = index.get(key)!;
    const s = spec<{ controllerName?: string }>(obj);
    if (s.controllerName !== graph.controllerName) continue;
    const conditions = new ConditionSet(obj.metadata?.generation);
    const params = resolveGatewayClassParameters(obj as unknown as GatewayClassInput, lookup);
    if (params.ok) {
      conditions.set("Accepted", "True", "Accepted", `Valid GatewayClass for controller ${graph.controllerName}`);
    } else {
      conditions.set("Accepted", "False", params.condition.reason, params.condition.message);
    }
    conditions.set("SupportedVersion", "True", "SupportedVersion", "Gateway API v1.6 is supported");
    graph.classes.set(obj.metadata!.name!, { obj, conditions, accepted: params.ok, parameters: params.ok ? params.spec : undefined });
  }
}
