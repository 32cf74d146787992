// The parametersRef chain of a Gateway: its GatewayClass's spec.parametersRef, then its own
// spec.infrastructure.parametersRef, each resolved, validated and merged (the Gateway's wins).
// A reference that cannot be used is the user's mistake, so it is a value: an
// Accepted=False/InvalidParameters condition for the object whose reference it is, with a
// message that names the field. Pure: objects come from the caller's lookup.
import { validateProxyConfig } from "@gatehouse/validation";
import type { GatewayClassInput, GatewayInput, ParametersRef } from "./gateway-input";
import { mergeProxyConfigSpecs } from "./merge-parameters";
import { PROXY_CONFIG_GROUP, PROXY_CONFIG_KIND, type ProxyConfigSpec } from "./proxy-config";

export const INVALID_PARAMETERS_REASON = "InvalidParameters";

export interface InvalidParametersCondition {
  type: "Accepted";
  status: "False";
  reason: typeof INVALID_PARAMETERS_REASON;
  message: string;
}

/** Returns the ProxyConfig object (as stored) named by namespace and name, or undefined. */
export type ProxyConfigLookup = (namespace: string, name: string) => unknown;

export type ParametersResult =
  | { ok: true; spec: ProxyConfigSpec }
  | { ok: false; on: "GatewayClass" | "Gateway"; condition: InvalidParametersCondition };

/** Violations quoted in a message; the rest are counted. */
const MAX_VIOLATIONS_SHOWN = 3;

/** The GatewayClass's own parameters (an empty spec when it has no reference). */
export function resolveGatewayClassParameters(gatewayClass: GatewayClassInput, lookup: ProxyConfigLookup): ParametersResult {
  const ref = gatewayClass.spec.parametersRef;
  if (!ref) return { ok: true, spec: {} };
  const found = resolveRef(ref, ref.namespace, "spec.parametersRef", lookup);
  return "error" in found ? invalid("GatewayClass", found.error) : { ok: true, spec: found.spec };
}

/** The merged parameters of a Gateway's proxies, or the condition that says why there are none. */
export function resolveProxyParameters(gatewayClass: GatewayClassInput, gateway: GatewayInput, lookup: ProxyConfigLookup): ParametersResult {
  const classParams = resolveGatewayClassParameters(gatewayClass, lookup);
  return classParams.ok ? resolveGatewayOverClass(classParams.spec, gateway, lookup) : classParams;
}

/** The Gateway's own reference merged over its class's already resolved parameters. */
export function resolveGatewayOverClass(classSpec: ProxyConfigSpec, gateway: GatewayInput, lookup: ProxyConfigLookup): ParametersResult {
  const ref = gateway.spec.infrastructure?.parametersRef;
  if (!ref) return { ok: true, spec: classSpec };
  const found = resolveRef(ref, gateway.metadata.namespace ?? "default", "spec.infrastructure.parametersRef", lookup);
  if ("error" in found) return invalid("Gateway", found.error);
  return { ok: true, spec: mergeProxyConfigSpecs(classSpec, found.spec) };
}

function resolveRef(
  ref: ParametersRef,
  namespace: string | undefined,
  field: string,
  lookup: ProxyConfigLookup,
): { spec: ProxyConfigSpec } | { error: string } {
  if (ref.group !== PROXY_CONFIG_GROUP || ref.kind !== PROXY_CONFIG_KIND) {
    return {
      error: `${field}: unsupported kind ${JSON.stringify(`${ref.group ?? ""}/${ref.kind ?? ""}`)}; Gatehouse takes ${PROXY_CONFIG_GROUP}/${PROXY_CONFIG_KIND}`,
    };
  }
  if (!ref.name) return { error: `${field}.name: required` };
  if (!namespace) return { error: `${field}.namespace: required, ${PROXY_CONFIG_KIND} is a namespaced kind` };
  const object = lookup(namespace, ref.name);
  if (object === undefined || object === null) {
    return { error: `${field}: ${PROXY_CONFIG_KIND} ${namespace}/${ref.name} not found` };
  }
  const violations = validateProxyConfig(object);
  if (violations.length > 0) {
    const shown = violations.slice(0, MAX_VIOLATIONS_SHOWN).map((v) => `${v.path}: ${v.message}`);
    const more = violations.length > MAX_VIOLATIONS_SHOWN ? ` (and ${violations.length - MAX_VIOLATIONS_SHOWN} more)` : "";
    return { error: `${field}: ${PROXY_CONFIG_KIND} ${namespace}/${ref.name} is invalid: ${shown.join("; ")}${more}` };
  }
  return { spec: ((object as { spec?: ProxyConfigSpec }).spec ?? {}) as ProxyConfigSpec };
}

function invalid(on: "GatewayClass" | "Gateway", message: string): ParametersResult {
  return { ok: false, on, condition: { type: "Accepted", status: "False", reason: INVALID_PARAMETERS_REASON, message } };
}
