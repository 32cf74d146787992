// GatewayClass processor: a class is ours when its controllerName is ours; ours are
// Accepted, everyone else's are left untouched (their controller writes their status).
// Gatehouse takes no GatewayClass parameters, so a class with a parametersRef is rejected
// (InvalidParameters, as the spec asks for a referent that is missing or of a kind we do not
// know) and its Gateways are left alone.
import { ConditionSet } from "../conditions";
import { spec } from "../kube-types";
import type { TranslationGraph } from "../graph";

export function processGatewayClasses(graph: TranslationGraph): void {
  const index = graph.resources.gatewayClasses;
  for (const key of [...index.keys()].sort()) {
    const obj = index.get(key)!;
    const s = spec<{ controllerName?: string; parametersRef?: { group?: string; kind?: string; name?: string; namespace?: string } }>(obj);
    if (s.controllerName !== graph.controllerName) continue;
    const conditions = new ConditionSet(obj.metadata?.generation);
    const ref = s.parametersRef;
    const accepted = !ref;
    if (ref) {
      const what = `${ref.group ? `${ref.group}/` : ""}${ref.kind ?? ""} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name ?? ""}`;
      conditions.set("Accepted", "False", "InvalidParameters", `parametersRef ${what} is not supported: Gatehouse takes no GatewayClass parameters`);
    } else {
      conditions.set("Accepted", "True", "Accepted", `Valid GatewayClass for controller ${graph.controllerName}`);
    }
    conditions.set("SupportedVersion", "True", "SupportedVersion", "Gateway API v1.6 is supported");
    graph.classes.set(obj.metadata!.name!, { obj, conditions, accepted });
  }
}
