// protobufjs messages to proto3 JSON shaped like Envoy's config dump: snake_case names,
// Any as {"@type", ...} (its content decoded by type URL), Duration as "1.500s", 64-bit
// integers as strings, enums by name, defaults omitted. Keys follow field declaration
// order and map keys are sorted, so the same message always prints the same JSON.
import protobuf from "protobufjs";
import { messageType } from "./envoy-protos";
import { unpackAny, type AnyMessage } from "./any-registry";
import { ProtoJsonError, formatBytes, formatDuration, formatFieldMask, formatLong, formatTimestamp } from "./json-scalars";
import Long from "long";

type Json = Record<string, unknown>;
type Print = (v: unknown, path: string) => unknown;

interface FieldOut {
  name: string;
  kind: "single" | "repeated" | "map";
  presence: boolean;
  isMessage: boolean;
  print: Print;
}

interface MessageOut {
  fields: FieldOut[];
  special?: Print;
}

const plans = new Map<protobuf.Type, MessageOut>();

/** Proto3 JSON of a message of `typeName` (full name or type URL). */
export function toJSON(typeName: string, message: object): Record<string, unknown> {
  return printMessage(planOf(messageType(typeName)), message, "") as Record<string, unknown>;
}

function planOf(type: protobuf.Type): MessageOut {
  let plan = plans.get(type);
  if (plan) return plan;
  plan = { fields: [] };
  plans.set(type, plan);
  for (const field of type.fieldsArray) {
    field.resolve();
    plan.fields.push({
      name: field.name,
      kind: field.map ? "map" : field.repeated ? "repeated" : "single",
      presence: field.partOf !== null && field.partOf !== undefined,
      isMessage: field.resolvedType instanceof protobuf.Type,
      print: valuePrinter(field.type, field.resolvedType),
    });
  }
  plan.special = specialPrinter(type);
  return plan;
}

function valuePrinter(type: string, resolved: protobuf.Type | protobuf.Enum | null): Print {
  if (resolved instanceof protobuf.Type) {
    let plan: MessageOut | undefined;
    return (v, path) => printMessage((plan ??= planOf(resolved)), v, path);
  }
  if (resolved instanceof protobuf.Enum) {
    return (v) => (typeof v === "number" && resolved.valuesById[v] !== undefined ? resolved.valuesById[v] : v);
  }
  switch (type) {
    case "int64":
    case "uint64":
    case "sint64":
    case "fixed64":
    case "sfixed64":
      return (v) => formatLong(v);
    case "double":
    case "float":
      return (v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v);
    case "bytes":
      return (v) => formatBytes(v instanceof Uint8Array ? v : Uint8Array.from(v as number[]));
    default:
      return (v) => v;
  }
}

function isDefault(v: unknown): boolean {
  if (v === 0 || v === "" || v === false) return !Object.is(v, -0);
  // protobufjs' prototype default for bytes is an empty array.
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  if (Long.isLong(v)) return (v as Long).isZero();
  return false;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function printMessage(plan: MessageOut, message: unknown, path: string): unknown {
  if (plan.special) return plan.special(message, path);
  const m = message as Json;
  const out: Json = {};
  for (const f of plan.fields) {
    const v = m[f.name];
    if (v === null || v === undefined) continue;
    const p = path === "" ? f.name : `${path}.${f.name}`;
    if (f.kind === "repeated") {
      const arr = v as unknown[];
      if (arr.length > 0) out[f.name] = arr.map((item, i) => f.print(item, `${p}[${i}]`));
    } else if (f.kind === "map") {
      const keys = Object.keys(v as Json);
      if (keys.length === 0) continue;
      keys.sort();
      const obj: Json = {};
      for (const k of keys) obj[k] = f.print((v as Json)[k], `${p}[${JSON.stringify(k)}]`);
      out[f.name] = obj;
    } else if (f.isMessage || (f.presence ? has(m, f.name) : !isDefault(v))) {
      out[f.name] = f.print(v, p);
    }
  }
  return out;
}

const WRAPPERS = new Set(
  ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"].map((n) => `.google.protobuf.${n}Value`),
);

function specialPrinter(type: protobuf.Type): Print | undefined {
  const name = type.fullName;
  const field = (id: number) => type.fieldsById[id];
  if (WRAPPERS.has(name)) {
    const value = field(1);
    const print = valuePrinter(value.type, null);
    const zero = value.type === "string" ? "" : value.type === "bool" ? false : value.type === "bytes" ? new Uint8Array(0) : 0;
    return (v, path) => print((v as Json)[value.name] ?? zero, path);
  }
  switch (name) {
    case ".google.protobuf.Any":
      return (v, path) => printAny(v as AnyMessage, path);
    case ".google.protobuf.Duration":
      return (v) => formatDuration(v as { seconds?: unknown; nanos?: number });
    case ".google.protobuf.Timestamp":
      return (v) => formatTimestamp(v as { seconds?: unknown; nanos?: number });
    case ".google.protobuf.FieldMask":
      return (v) => formatFieldMask(((v as Json)[field(1).name] as string[] | undefined) ?? []);
    case ".google.protobuf.Struct": {
      const fields = field(1).name;
      const valueType = field(1).resolvedType as protobuf.Type;
      return (v, path) => {
        const map = ((v as Json)[fields] ?? {}) as Json;
        const out: Json = {};
        for (const k of Object.keys(map).sort()) out[k] = printMessage(planOf(valueType), map[k], `${path}[${JSON.stringify(k)}]`);
        return out;
      };
    }
    case ".google.protobuf.ListValue": {
      const values = field(1).name;
      const valueType = field(1).resolvedType as protobuf.Type;
      return (v, path) =>
        (((v as Json)[values] ?? []) as unknown[]).map((item, i) => printMessage(planOf(valueType), item, `${path}[${i}]`));
    }
    case ".google.protobuf.Value": {
      const [nullF, numberF, stringF, boolF, structF, listF] = [1, 2, 3, 4, 5, 6].map((id) => field(id).name);
      const structType = field(5).resolvedType as protobuf.Type;
      const listType = field(6).resolvedType as protobuf.Type;
      return (v, path) => {
        const m = v as Json;
        if (m[structF] != null) return printMessage(planOf(structType), m[structF], path);
        if (m[listF] != null) return printMessage(planOf(listType), m[listF], path);
        if (has(m, numberF) && m[numberF] != null) return m[numberF];
        if (has(m, stringF) && m[stringF] != null) return m[stringF];
        if (has(m, boolF) && m[boolF] != null) return m[boolF];
        if (has(m, nullF)) return null;
        return null;
      };
    }
    default:
      return undefined;
  }
}

function printAny(any: AnyMessage, path: string): Json {
  const url = any.type_url ?? "";
  let unpacked: ReturnType<typeof unpackAny>;
  try {
    unpacked = unpackAny(any);
  } catch (err) {
    throw new ProtoJsonError(path, "json.any_value", `bytes of ${url} do not decode: ${(err as Error).message}`);
  }
  if (!unpacked.type) throw new ProtoJsonError(path, "json.any_type", `unknown type URL ${JSON.stringify(url)}`);
  const plan = planOf(unpacked.type);
  const inner = printMessage(plan, unpacked.message, path);
  return plan.special ? { "@type": url, value: inner } : { "@type": url, ...(inner as Json) };
}
