// One generic validator for every Envoy message: it reads the PGV annotations
// (`(validate.rules)` on fields, `(validate.required)` on oneofs) from protobufjs
// reflection, compiles them once per type into a plan of small checks, and walks a
// message with it, descending into nested messages and into Any by type URL (as Envoy
// does when it instantiates a typed_config). Subtrees whose types carry no rule at all are
// never walked. Checks Envoy makes in code rather than in PGV come from
// gatehouse-rules.ts (RE2 regexes), envoy-annotations.ts (disallowed_by_default) and
// envoy-semantics.ts (unique domains, weight sums, filter chain overlap, terminal filters).
import protobuf from "protobufjs";
import { re2Error } from "@gatehouse/validation";
import { envoyProtos, messageType } from "../proto/envoy-protos";
import { unpackAny, type AnyMessage } from "../proto/any-registry";
import { EXTRA_FIELD_RULES } from "./gatehouse-rules";
import { NUMERIC_KINDS, combine, compileBool, compileBytes, compileEnum, compileNumber, compileString, issue } from "./scalar-rules";
import { recordUnsupportedRule, unsupportedRules, type UnsupportedRule } from "./unsupported-rules";
import { compileAny, compileDuration, compileTimestamp } from "./well-known-rules";
import { disallowedVisit } from "./envoy-annotations";
import { ENVOY_SEMANTIC_CHECKS } from "./envoy-semantics";
import { popPath, pushPath, resetPath, type Check, type ReportUnsupported, type ValidationIssue } from "./validation-issue";

type Json = Record<string, unknown>;
type Visit = (m: Json, out: ValidationIssue[]) => void;

interface TypePlan {
  visits: Visit[];
}

const plans = new Map<protobuf.Type, TypePlan>();
const reachable = new Map<protobuf.Type, boolean>();
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Every rule violation in `message` (a message of `type`, a full name or a type URL). Empty means valid. */
export function validateMessage(type: string | protobuf.Type, message: object): ValidationIssue[] {
  const t = typeof type === "string" ? messageType(type) : type;
  const out: ValidationIssue[] = [];
  resetPath();
  visitMessage(t, message as Json, out);
  return out;
}

/**
 * Compiles the plan of every message type loaded and returns the rules the validator does
 * not understand (empty when every rule in Envoy's protos is enforced).
 */
export function auditValidationRules(): UnsupportedRule[] {
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) planOf(nested);
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) walk(nested);
    }
  };
  walk(envoyProtos());
  return unsupportedRules();
}

function visitMessage(type: protobuf.Type, m: Json, out: ValidationIssue[]): void {
  const visits = planOf(type).visits;
  for (let i = 0; i < visits.length; i++) visits[i](m, out);
}

/** Validation options of an element (field, oneof, type), merged: `[(a).b = 1, (a).c = 2]` gives two entries. */
function validateOptions(parsed: Array<Record<string, unknown>> | null | undefined): Map<string, unknown> {
  const merged = new Map<string, unknown>();
  for (const entry of parsed ?? []) {
    for (const [key, value] of Object.entries(entry)) {
      if (!key.startsWith("(validate.")) continue;
      merged.set(key, deepMerge(merged.get(key), value));
    }
  }
  return merged;
}

function deepMerge(a: unknown, b: unknown): unknown {
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Json = { ...(a as Json) };
    for (const [k, v] of Object.entries(b as Json)) out[k] = deepMerge(out[k], v);
    return out;
  }
  return b ?? a;
}

function planOf(type: protobuf.Type): TypePlan {
  let plan = plans.get(type);
  if (plan) return plan;
  plan = { visits: [] };
  plans.set(type, plan);
  const typeName = type.fullName.slice(1);
  if (typeName === "google.protobuf.Any") {
    plan.visits.push(visitAny);
    return plan;
  }
  const typeOptions = validateOptions(type.parsedOptions);
  for (const [key, value] of typeOptions) {
    if (key === "(validate.disabled)" || key === "(validate.ignored)") {
      if (value === true) return plan;
    } else recordUnsupportedRule(key, typeName);
  }
  for (const oneof of type.oneofsArray) {
    for (const [key, value] of validateOptions(oneof.parsedOptions)) {
      if (key !== "(validate.required)") recordUnsupportedRule(key, `${typeName}.${oneof.name}`);
      else if (value === true) plan.visits.push(requiredOneof(oneof));
    }
  }
  for (const field of type.fieldsArray) {
    const visit = fieldVisit(typeName, field);
    if (visit) plan.visits.push(visit);
    const disallowed = disallowedVisit(field);
    if (disallowed) plan.visits.push(disallowed);
  }
  const semantic = ENVOY_SEMANTIC_CHECKS[type.fullName];
  if (semantic) plan.visits.push(semantic);
  return plan;
}

function requiredOneof(oneof: protobuf.OneOf): Visit {
  const members = oneof.fieldsArray.map((f) => f.name);
  return (m, out) => {
    for (const name of members) if (hasOwn(m, name) && m[name] != null) return;
    pushPath(oneof.name);
    issue(out, "oneof.required", `one of ${members.join(", ")} must be set`);
    popPath();
  };
}

function visitAny(m: Json, out: ValidationIssue[]): void {
  const url = (m as AnyMessage).type_url ?? "";
  let unpacked: ReturnType<typeof unpackAny>;
  try {
    unpacked = unpackAny(m as AnyMessage);
  } catch (err) {
    issue(out, "any.value", `the content does not decode as ${url}: ${(err as Error).message}`);
    return;
  }
  if (!unpacked.type || !unpacked.message) {
    issue(out, "any.type_url", `unknown type URL ${JSON.stringify(url)}`);
    return;
  }
  visitMessage(unpacked.type, unpacked.message as unknown as Json, out);
}

/** Whether anything under a type can produce an issue; cycles count as yes. */
function canFail(type: protobuf.Type): boolean {
  const known = reachable.get(type);
  if (known !== undefined) return known;
  reachable.set(type, true);
  const plan = planOf(type);
  const result =
    plan.visits.length > 0 ||
    type.fieldsArray.some((f) => f.resolve().resolvedType instanceof protobuf.Type && canFail(f.resolvedType as protobuf.Type));
  reachable.set(type, result);
  return result;
}

const WRAPPED: Record<string, string> = {
  ".google.protobuf.DoubleValue": "double", ".google.protobuf.FloatValue": "float",
  ".google.protobuf.Int64Value": "int64", ".google.protobuf.UInt64Value": "uint64",
  ".google.protobuf.Int32Value": "int32", ".google.protobuf.UInt32Value": "uint32",
  ".google.protobuf.BoolValue": "bool", ".google.protobuf.StringValue": "string", ".google.protobuf.BytesValue": "bytes",
};

function zeroOf(scalar: string): unknown {
  return scalar === "string" ? "" : scalar === "bool" ? false : scalar === "bytes" ? new Uint8Array(0) : 0;
}

interface ElementPlan {
  /** Rules on a present value. */
  check?: Check;
  /** Rule name when the value must be present (message kinds). */
  required?: string;
  /** Message type to walk into. */
  descend?: protobuf.Type;
}

function compileScalar(kind: string, rules: Json, resolved: unknown, report: ReportUnsupported): Check | undefined {
  if (kind === "string") return compileString(rules, report);
  if (kind === "bytes") return compileBytes(rules, report);
  if (kind === "bool") return compileBool(rules, report);
  if (kind === "enum") return compileEnum(resolved as protobuf.Enum, rules, report);
  return compileNumber(kind, rules, report);
}

/** Compiles FieldRules (minus repeated/map) for one value of `scalarType` / `resolved`. */
function compileElement(
  scalarType: string,
  resolved: protobuf.Type | protobuf.Enum | null,
  rules: Json | undefined,
  re2: boolean,
  report: ReportUnsupported,
): ElementPlan {
  const plan: ElementPlan = {};
  const checks: Check[] = [];
  const message = resolved instanceof protobuf.Type ? resolved : undefined;
  const valueKind = resolved instanceof protobuf.Enum ? "enum" : message ? WRAPPED[message.fullName] : scalarType;
  let skip = false;
  for (const [kind, r] of Object.entries(rules ?? {})) {
    const kindRules = (r ?? {}) as Json;
    if (kind === "message") {
      if (!message) report("message", `message rules on a ${scalarType} field`);
      for (const [k, v] of Object.entries(kindRules)) {
        if (k === "required") { if (v === true) plan.required = "message.required"; }
        else if (k === "skip") skip = v === true;
        else report(`message.${k}`);
      }
    } else if (kind === "string" || kind === "bytes" || kind === "bool" || kind === "enum" || NUMERIC_KINDS.has(kind)) {
      if (kind !== valueKind) {
        report(kind, `${kind} rules on a field of type ${message?.fullName ?? scalarType}`);
        continue;
      }
      const check = compileScalar(kind, kindRules, resolved, report);
      if (!check) continue;
      if (message) {
        // Rules on a wrapper apply to the wrapped value when the wrapper is set.
        const zero = zeroOf(kind);
        const valueField = message.fieldsById[1].name;
        checks.push((v, out) => check((v as Json)[valueField] ?? zero, out));
      } else checks.push(check);
    } else if (kind === "duration" || kind === "timestamp" || kind === "any") {
      const wkt = kind === "duration" ? "Duration" : kind === "timestamp" ? "Timestamp" : "Any";
      if (message?.fullName !== `.google.protobuf.${wkt}`) {
        // Envoy's protos put `any = {required: true}` on a plain message field
        // (ExtensionConfigSource.config_source); PGV's `required` is presence there too.
        const keys = Object.keys(kindRules);
        if (message && keys.length === 1 && keys[0] === "required") {
          if (kindRules.required === true) plan.required = `${kind}.required`;
        } else report(kind, `${kind} rules on a field of type ${message?.fullName ?? scalarType}`);
        continue;
      }
      const compiled = (kind === "duration" ? compileDuration : kind === "timestamp" ? compileTimestamp : compileAny)(kindRules, report);
      if (compiled.required) plan.required = `${kind}.required`;
      if (compiled.check) checks.push(compiled.check);
    } else {
      report(kind);
    }
  }
  if (re2) {
    checks.push((v, out) => {
      if (typeof v !== "string" || v === "") return;
      const error = re2Error(v);
      if (error) issue(out, "regex.re2", error);
    });
  }
  plan.check = combine(checks);
  if (message && !skip && canFail(message)) plan.descend = message;
  return plan;
}

function fieldVisit(typeName: string, field: protobuf.Field): Visit | undefined {
  field.resolve();
  const where = `${typeName}.${field.name}`;
  const report: ReportUnsupported = (rule, detail) => recordUnsupportedRule(rule, where, detail);
  const options = validateOptions(field.parsedOptions);
  let rules = options.get("(validate.rules)") as Json | undefined;
  for (const key of options.keys()) if (key !== "(validate.rules)") report(key);
  const extra = EXTRA_FIELD_RULES[where];
  if (extra?.rules) rules = deepMerge(rules, extra.rules) as Json;
  const re2 = extra?.re2 === true;
  if (field.map) return mapVisit(field as unknown as protobuf.MapField, rules, report);
  if (field.repeated) return repeatedVisit(field, rules, re2, report);
  const el = compileElement(field.type, field.resolvedType, rules, re2, report);
  if (!el.check && !el.required && !el.descend) return undefined;
  const name = field.name;
  // A oneof member (or `optional` field) is checked only when set, as PGV does: its
  // `required` means "not set to null" once the oneof picked it.
  const presence = field.partOf != null;
  if (field.resolvedType instanceof protobuf.Type) {
    return (m, out) => {
      const v = m[name] as Json | null | undefined;
      pushPath(name);
      if (v == null) {
        if (el.required && (!presence || hasOwn(m, name))) issue(out, el.required, "is required");
      } else {
        el.check?.(v, out);
        if (el.descend) visitMessage(el.descend, v, out);
      }
      popPath();
    };
  }
  // Scalars without presence are always checked (an unset string is ""), as PGV does.
  const zero = field.resolvedType instanceof protobuf.Enum ? 0 : zeroOf(field.type);
  const check = el.check!;
  return (m, out) => {
    if (presence && !hasOwn(m, name)) return;
    const v = m[name];
    pushPath(name);
    check(v ?? zero, out);
    popPath();
  };
}

function repeatedVisit(field: protobuf.Field, rules: Json | undefined, re2: boolean, report: ReportUnsupported): Visit | undefined {
  const r = (rules?.repeated ?? {}) as Json;
  const other = Object.fromEntries(Object.entries(rules ?? {}).filter(([k]) => k !== "repeated"));
  if (Object.keys(other).length > 0) report(Object.keys(other)[0], "scalar rules on a repeated field (use repeated.items)");
  const checks: Check[] = [];
  for (const [k, val] of Object.entries(r)) {
    switch (k) {
      case "min_items": checks.push((v, out) => { if ((v as unknown[]).length < (val as number)) issue(out, "repeated.min_items", `must have at least ${val} items`); }); break;
      case "max_items": checks.push((v, out) => { if ((v as unknown[]).length > (val as number)) issue(out, "repeated.max_items", `must have at most ${val} items`); }); break;
      case "unique":
        if (val === true) {
          checks.push((v, out) => {
            const keys = (v as unknown[]).map((x) => (x instanceof Uint8Array ? Buffer.from(x).toString("base64") : typeof x === "object" ? JSON.stringify(x) : String(x)));
            if (new Set(keys).size !== keys.length) issue(out, "repeated.unique", "items must be unique");
          });
        }
        break;
      case "items": case "ignore_empty": break;
      default: report(`repeated.${k}`);
    }
  }
  const listCheck = combine(checks, r.ignore_empty ? (v) => (v as unknown[]).length === 0 : undefined);
  const el = compileElement(field.type, field.resolvedType, r.items as Json | undefined, re2, report);
  if (!listCheck && !el.check && !el.descend) return undefined;
  const name = field.name;
  return (m, out) => {
    const arr = (m[name] ?? []) as unknown[];
    if (arr.length === 0 && !listCheck) return;
    pushPath(name);
    listCheck?.(arr, out);
    for (let i = 0; i < arr.length; i++) {
      pushPath(i);
      el.check?.(arr[i], out);
      if (el.descend && arr[i] != null) visitMessage(el.descend, arr[i] as Json, out);
      popPath();
    }
    popPath();
  };
}

function mapVisit(field: protobuf.MapField, rules: Json | undefined, report: ReportUnsupported): Visit | undefined {
  const r = (rules?.map ?? {}) as Json;
  const other = Object.keys(rules ?? {}).filter((k) => k !== "map");
  if (other.length > 0) report(other[0], "non-map rules on a map field");
  const checks: Check[] = [];
  for (const [k, val] of Object.entries(r)) {
    switch (k) {
      case "min_pairs": checks.push((v, out) => { if (Object.keys(v as Json).length < (val as number)) issue(out, "map.min_pairs", `must have at least ${val} entries`); }); break;
      case "max_pairs": checks.push((v, out) => { if (Object.keys(v as Json).length > (val as number)) issue(out, "map.max_pairs", `must have at most ${val} entries`); }); break;
      case "no_sparse":
        if (val === true) checks.push((v, out) => { for (const [key, x] of Object.entries(v as Json)) if (x == null) { pushPath(`[${JSON.stringify(key)}]`); issue(out, "map.no_sparse", "must have a value"); popPath(); } });
        break;
      case "keys": case "values": case "ignore_empty": break;
      default: report(`map.${k}`);
    }
  }
  const mapCheck = combine(checks, r.ignore_empty ? (v) => Object.keys(v as Json).length === 0 : undefined);
  const keyCheck = compileElement(field.keyType, null, r.keys as Json | undefined, false, report).check;
  const numericKey = field.keyType !== "string" && field.keyType !== "bool";
  const el = compileElement(field.type, field.resolvedType, r.values as Json | undefined, false, report);
  if (!mapCheck && !keyCheck && !el.check && !el.descend) return undefined;
  const name = field.name;
  return (m, out) => {
    const obj = (m[name] ?? {}) as Json;
    pushPath(name);
    mapCheck?.(obj, out);
    for (const key of Object.keys(obj)) {
      pushPath(`[${JSON.stringify(key)}]`);
      keyCheck?.(field.keyType === "bool" ? key === "true" : numericKey ? Number(key) : key, out);
      el.check?.(obj[key], out);
      if (el.descend && obj[key] != null) visitMessage(el.descend, obj[key] as Json, out);
      popPath();
    }
    popPath();
  };
}
