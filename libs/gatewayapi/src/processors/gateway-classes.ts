// GatewayClass processor: a class is ours when its controllerName is ours; ours are
// Accepted, everyone else's are left untouched (their controller writes their status).
import { ConditionSet } from "../conditions";
import { spec } from "../kube-types";
import type { TranslationGraph } from "../graph";

export function processGatewayClasses(graph: TranslationGraph): void {
  const index = graph.resources.gatewayClasses;
  for (const key of [...index.keys()].sort()) {
    const obj = index.get(key)!;
    const s = spec<{ controllerName?: string }>(obj);
    if (s.controllerName !== graph.controllerName) continue;
    const conditions = new ConditionSet(obj.metadata?.generation);
    conditions.set("Accepted", "True", "Accepted", `Valid GatewayClass for controller ${graph.controllerName}`);
    conditions.set("SupportedVersion", "True", "SupportedVersion", "Gateway API v1.6 is supported");
    graph.classes.set(obj.metadata!.name!, { obj, conditions });
  }
}
