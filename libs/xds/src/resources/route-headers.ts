// RequestHeaderModifier / ResponseHeaderModifier: set overwrites, add appends, remove
// deletes. Envoy applies the list in order, so sets come before adds as in the Gateway API.
import type { HeaderModifier } from "@gatehouse/ir";
import type { JsonObject } from "./json";

export function headerMutations(modifier: HeaderModifier | undefined, direction: "request" | "response"): JsonObject {
  if (!modifier) return {};
  const add: JsonObject[] = [
    ...modifier.set.map((h) => ({ header: { key: h.name, value: h.value }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" })),
    ...modifier.add.map((h) => ({ header: { key: h.name, value: h.value }, append_action: "APPEND_IF_EXISTS_OR_ADD" })),
  ];
  const out: JsonObject = {};
  if (add.length > 0) out[`${direction}_headers_to_add`] = add;
  if (modifier.remove.length > 0) out[`${direction}_headers_to_remove`] = [...modifier.remove];
  return out;
}
