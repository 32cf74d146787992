// Envoy's own annotations that make it reject a resource: a field or enum value marked
// `(envoy.annotations.disallowed_by_default)` / `disallowed_by_default_enum` is refused
// unless the proxy re-enables it with a runtime flag, which Gatehouse never does. Plain
// `deprecated` is only a warning in Envoy and is not reported.
import protobuf from "protobufjs";
import { issue } from "./scalar-rules";
import { popPath, pushPath, type ValidationIssue } from "./validation-issue";

type Json = Record<string, unknown>;

const FIELD_OPTION = "(envoy.annotations.disallowed_by_default)";
const ENUM_OPTION = "(envoy.annotations.disallowed_by_default_enum)";
const RULE = "envoy.disallowed_by_default";

function hasOption(parsed: Array<Record<string, unknown>> | null | undefined, key: string): boolean {
  return (parsed ?? []).some((o) => o[key] === true);
}

function isSet(field: protobuf.Field, v: unknown, presence: boolean, has: boolean): boolean {
  if (v == null) return false;
  if (presence) return has;
  if (field.map) return Object.keys(v as Json).length > 0;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (typeof v === "object") return true; // a message
  return v !== 0 && v !== "" && v !== false;
}

/** A check for one field's disallowed-by-default annotations, or undefined when it has none. */
export function disallowedVisit(field: protobuf.Field): ((m: Json, out: ValidationIssue[]) => void) | undefined {
  field.resolve();
  const name = field.name;
  const presence = field.partOf != null;
  const fieldDisallowed = hasOption(field.parsedOptions, FIELD_OPTION);
  const e = field.resolvedType instanceof protobuf.Enum ? field.resolvedType : undefined;
  const badValues = new Map<number, string>();
  for (const [valueName, options] of Object.entries(e?.valuesOptions ?? {})) {
    if ((options as Json)[ENUM_OPTION] === true) badValues.set(e!.values[valueName], valueName);
  }
  if (!fieldDisallowed && badValues.size === 0) return undefined;
  return (m, out) => {
    const v = m[name];
    const has = Object.prototype.hasOwnProperty.call(m, name);
    if (!isSet(field, v, presence, has)) return;
    pushPath(name);
    if (fieldDisallowed) {
      issue(out, RULE, "is deprecated and disallowed by default: Envoy rejects it");
    } else {
      // An implicit-presence enum at 0 is "unset" to Envoy, so only explicit values count.
      for (const item of Array.isArray(v) ? v : [v]) {
        const bad = badValues.get(item as number);
        if (bad !== undefined) issue(out, RULE, `${bad} is deprecated and disallowed by default: Envoy rejects it`);
      }
    }
    popPath();
  };
}
