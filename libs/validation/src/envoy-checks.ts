// What the CRDs let through but Envoy would still refuse: regular expressions RE2 cannot
// compile (HTTPRoute path, header and query matches; GRPCRoute service, method and header
// matches) and backend weights whose sum overflows Envoy's uint32. Reported as violations
// with the same shape as validateObject's, with rule names starting "envoy.".
import { field, list } from "./crd/cel";
import { isObject, type Violation } from "./crd/schema";
import type { GatewayApiObject } from "./crd/validate-object";
import { re2Error } from "./re2";
import { weightsError } from "./weights";

/** Envoy-level problems in a Gateway API object; never throws, whatever its shape. */
export function envoyViolations(object: GatewayApiObject): Violation[] {
  const out: Violation[] = [];
  if (!isObject(object) || !isObject(object.spec)) return out;
  const rules = list(object.spec, "rules");
  switch (object.kind) {
    case "HTTPRoute":
      rules.forEach((rule, i) => {
        list(rule, "matches").forEach((match, j) => {
          const at = `spec.rules[${i}].matches[${j}]`;
          const path = field(match, "path");
          if (field(path, "type") === "RegularExpression") regex(field(path, "value"), `${at}.path.value`, out);
          regexMatches(list(match, "headers"), `${at}.headers`, out);
          regexMatches(list(match, "queryParams"), `${at}.queryParams`, out);
        });
        weights(rule, `spec.rules[${i}]`, out);
      });
      break;
    case "GRPCRoute":
      rules.forEach((rule, i) => {
        list(rule, "matches").forEach((match, j) => {
          const at = `spec.rules[${i}].matches[${j}]`;
          const method = field(match, "method");
          if (field(method, "type") === "RegularExpression") {
            regex(field(method, "service"), `${at}.method.service`, out);
            regex(field(method, "method"), `${at}.method.method`, out);
          }
          regexMatches(list(match, "headers"), `${at}.headers`, out);
        });
        weights(rule, `spec.rules[${i}]`, out);
      });
      break;
    case "TCPRoute":
    case "UDPRoute":
    case "TLSRoute":
      rules.forEach((rule, i) => weights(rule, `spec.rules[${i}]`, out));
      break;
  }
  return out;
}

function regexMatches(matches: unknown[], at: string, out: Violation[]): void {
  matches.forEach((m, k) => {
    if (field(m, "type") === "RegularExpression") regex(field(m, "value"), `${at}[${k}].value`, out);
  });
}

function regex(value: unknown, path: string, out: Violation[]): void {
  // Absent or mistyped values are validateObject's to report.
  if (typeof value !== "string" || value === "") return;
  const error = re2Error(value);
  if (error) out.push({ path, message: error, reason: "FieldValueInvalid", rule: "envoy.re2" });
}

function weights(rule: unknown, at: string, out: Violation[]): void {
  const refs = list(rule, "backendRefs");
  if (refs.length === 0) return;
  // weight defaults to 1.
  const values = refs.map((b) => (field(b, "weight") ?? 1) as number);
  if (values.some((w) => typeof w !== "number")) return;
  const error = weightsError(values);
  if (error) out.push({ path: `${at}.backendRefs`, message: error, reason: "FieldValueInvalid", rule: "envoy.weights" });
}
