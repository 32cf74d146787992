// Transition rules: CEL rules that compare an object with the version stored before it
// (`oldSelf`). In the v1.6.1 CRDs of the kinds we handle there is one: a GatewayClass's
// controllerName may not change.
import { field } from "./cel";
import type { Violation } from "./schema";
import type { GatewayApiObject } from "./validate-object";

/** What the API server would reject when `next` replaces `previous` (same kind and name). */
export function validateTransition(previous: GatewayApiObject, next: GatewayApiObject): Violation[] {
  const out: Violation[] = [];
  if (field(previous, "kind") !== "GatewayClass" || field(next, "kind") !== "GatewayClass") return out;
  const before = field(field(previous, "spec"), "controllerName");
  const after = field(field(next, "spec"), "controllerName");
  if (typeof before === "string" && typeof after === "string" && before !== after) {
    out.push({
      path: "spec.controllerName",
      message: "Value is immutable",
      reason: "FieldValueInvalid",
      rule: "gatewayclass.controllerName.immutable",
    });
  }
  return out;
}
