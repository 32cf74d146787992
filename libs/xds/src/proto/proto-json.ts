// Proto3 JSON (as in Envoy's config dump: snake_case names, Any as {"@type", ...}) to
// protobufjs messages, strictly: protobufjs' fromObject silently drops unknown fields and
// coerces wrong types, which would let a misspelled field vanish from what Envoy gets.
// Here every unknown field, wrong type, out-of-range number or unknown enum name is an
// error with its path. Defaults of implicit-presence fields are left unset, and map keys
// are inserted in sorted order, so encoding gives canonical, deterministic bytes.
import protobuf from "protobufjs";
import { messageType } from "./envoy-protos";
import { rememberUnpacked, typeForUrl } from "./any-registry";
import { PathStack, mapKeyPart } from "./path-stack";
import {
  ProtoJsonError,
  jsonNameOf,
  parseBytes,
  parseDuration,
  parseFieldMask,
  parseFloatValue,
  parseInt32,
  parseInt64,
  parseTimestamp,
  typeError,
  type IntKind,
  type LongKind,
} from "./json-scalars";
import Long from "long";

type Json = Record<string, unknown>;
type Convert = (v: unknown) => unknown;
type MessageObject = protobuf.Message & Record<string, unknown>;

interface FieldIn {
  name: string;
  kind: "single" | "repeated" | "map";
  /** Oneof members and proto3 `optional` fields keep explicit defaults (presence). */
  presence: boolean;
  oneof: string | undefined;
  /** google.protobuf.Value takes JSON null as a value; elsewhere null means "unset". */
  nullIsValue: boolean;
  convert: Convert;
  convertKey?: Convert;
}

interface MessageIn {
  type: protobuf.Type;
  /** The generated class's prototype: instances made with Object.create skip its constructor,
   * which allocates an empty array or object for every repeated and map field (most stay empty). */
  proto: object;
  fields: Map<string, FieldIn>;
  /** Well-known types with a special JSON form convert the whole value. */
  special?: Convert;
}

const plans = new Map<protobuf.Type, MessageIn>();

/** Converts proto3 JSON into a message of `typeName` (a full name or a type URL). Throws ProtoJsonError. */
export function fromJSON(typeName: string, json: unknown): protobuf.Message {
  return fromJSONType(messageType(typeName), json);
}

// The path being converted; errors thrown below carry no path and get this one here.
const path = new PathStack();

/** Same as fromJSON for an already resolved type. */
export function fromJSONType(type: protobuf.Type, json: unknown): protobuf.Message {
  path.reset();
  try {
    return convertMessage(planOf(type), json) as protobuf.Message;
  } catch (err) {
    if (err instanceof ProtoJsonError) throw new ProtoJsonError(path.toString(), err.rule, err.detail);
    throw err;
  }
}

function planOf(type: protobuf.Type): MessageIn {
  let plan = plans.get(type);
  if (plan) return plan;
  plan = { type, proto: type.ctor.prototype as object, fields: new Map() };
  // Registered before the fields are built so that recursive types find it.
  plans.set(type, plan);
  for (const field of type.fieldsArray) {
    const f = fieldIn(field);
    plan.fields.set(field.name, f);
    const jsonName = jsonNameOf(field.name);
    if (jsonName !== field.name) plan.fields.set(jsonName, f);
  }
  plan.special = specialConverter(type, plan);
  return plan;
}

function fieldIn(field: protobuf.Field): FieldIn {
  field.resolve();
  const resolved = field.resolvedType;
  const isValue = resolved instanceof protobuf.Type && resolved.fullName === ".google.protobuf.Value";
  const convert = valueConverter(field.type, resolved);
  if (field.map) {
    const keyType = (field as unknown as protobuf.MapField).keyType;
    return { name: field.name, kind: "map", presence: false, oneof: undefined, nullIsValue: false, convert, convertKey: keyConverter(keyType) };
  }
  return {
    name: field.name,
    kind: field.repeated ? "repeated" : "single",
    presence: field.partOf !== null && field.partOf !== undefined,
    oneof: field.partOf?.name,
    nullIsValue: isValue,
    convert,
  };
}

const INT32_KINDS = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32"]);
const INT64_KINDS = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

function valueConverter(type: string, resolved: protobuf.Type | protobuf.Enum | null): Convert {
  if (resolved instanceof protobuf.Type) {
    let plan: MessageIn | undefined;
    return (v) => convertMessage((plan ??= planOf(resolved)), v);
  }
  if (resolved instanceof protobuf.Enum) return enumConverter(resolved);
  if (INT32_KINDS.has(type)) return (v) => parseInt32(type as IntKind, v);
  if (INT64_KINDS.has(type)) return (v) => parseInt64(type as LongKind, v);
  switch (type) {
    case "double":
    case "float":
      return (v) => parseFloatValue(type, v);
    case "bool":
      return (v) => {
        if (typeof v !== "boolean") throw typeError("a boolean", v);
        return v;
      };
    case "string":
      return (v) => {
        if (typeof v !== "string") throw typeError("a string", v);
        return v;
      };
    case "bytes":
      return parseBytes;
    default:
      throw new Error(`unsupported proto field type ${type}`);
  }
}

function keyConverter(keyType: string): Convert {
  if (keyType === "string") return (k) => k;
  if (keyType === "bool") {
    return (k) => {
      if (k !== "true" && k !== "false") throw typeError("a bool map key", k);
      return k;
    };
  }
  if (INT32_KINDS.has(keyType)) return (k) => String(parseInt32(keyType as IntKind, k));
  return () => {
    throw new ProtoJsonError("", "json.type", `map keys of type ${keyType} are not supported`);
  };
}

function enumConverter(e: protobuf.Enum): Convert {
  const isNullValue = e.fullName === ".google.protobuf.NullValue";
  return (v) => {
    if (typeof v === "string") {
      if (Object.prototype.hasOwnProperty.call(e.values, v)) return e.values[v];
      const names = Object.keys(e.values);
      const shown = names.slice(0, 12).join(", ") + (names.length > 12 ? ", ..." : "");
      throw new ProtoJsonError("", "json.enum", `${JSON.stringify(v)} is not a value of ${e.name} (${shown})`);
    }
    if (typeof v === "number" && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v;
    if (v === null && isNullValue) return 0;
    throw typeError(`an ${e.name} name`, v);
  };
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Proto3 default of an implicit-presence field: such values are left unset, as protoc would. */
function isDefault(v: unknown): boolean {
  if (v === 0 || v === "" || v === false) return !Object.is(v, -0);
  if (v instanceof Uint8Array) return v.length === 0;
  if (Long.isLong(v)) return (v as Long).isZero();
  return false;
}

function convertMessage(plan: MessageIn, json: unknown, inAny = false): unknown {
  if (plan.special && !inAny) return plan.special(json);
  if (!isPlainObject(json)) throw typeError(`an object (${plan.type.fullName.slice(1)})`, json);
  const m = Object.create(plan.proto) as MessageObject;
  let oneofs: Record<string, string> | undefined;
  for (const key of Object.keys(json)) {
    if (inAny && key === "@type") continue;
    const f = plan.fields.get(key);
    path.push(key);
    if (f === undefined) throw unknownField(plan.type, key);
    const v = json[key];
    // undefined is absent, as JSON.stringify would drop it; null is absent but for Value.
    if (v === undefined || (v === null && !f.nullIsValue)) {
      path.pop();
      continue;
    }
    if (key !== f.name && Object.prototype.hasOwnProperty.call(json, f.name)) {
      throw new ProtoJsonError("", "json.duplicate", `field ${f.name} is given twice (as ${f.name} and ${key})`);
    }
    if (f.kind === "single") {
      if (f.oneof !== undefined) {
        oneofs ??= {};
        const other = oneofs[f.oneof];
        if (other !== undefined) {
          throw new ProtoJsonError("", "json.oneof", `oneof ${f.oneof} is already set by ${other}; only one of its fields may be set`);
        }
        oneofs[f.oneof] = f.name;
      }
      const value = f.convert(v);
      if (f.presence || !isDefault(value)) m[f.name] = value;
    } else if (f.kind === "repeated") {
      if (!Array.isArray(v)) throw typeError("an array", v);
      if (v.length > 0) {
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          path.push(i);
          if (item === null && !f.nullIsValue) throw typeError("a value", item);
          out[i] = f.convert(item);
          path.pop();
        }
        m[f.name] = out;
      }
    } else {
      if (!isPlainObject(v)) throw typeError("an object (map)", v);
      const keys = Object.keys(v);
      if (keys.length > 0) {
        keys.sort();
        const out: Record<string, unknown> = {};
        for (const k of keys) {
          path.push(mapKeyPart(k));
          const item = v[k];
          if (item === null && !f.nullIsValue) throw typeError("a value", item);
          out[f.convertKey!(k) as string] = f.convert(item);
          path.pop();
        }
        m[f.name] = out;
      }
    }
    path.pop();
  }
  return m;
}

function unknownField(type: protobuf.Type, key: string): ProtoJsonError {
  const names = type.fieldsArray.map((f) => f.name);
  const close = names.filter((n) => editDistance(n, key.toLowerCase()) <= Math.max(2, Math.floor(key.length / 4)));
  const hint = close.length > 0 ? `; did you mean ${close.map((n) => JSON.stringify(n)).join(" or ")}?` : "";
  return new ProtoJsonError("", "json.unknown_field", `${type.fullName.slice(1)} has no field ${JSON.stringify(key)}${hint}`);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

// ---- well-known types with their own JSON form ----

const WRAPPERS = new Set(
  ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"].map((n) => `.google.protobuf.${n}Value`),
);

/** Field name by number: protobufjs' bundled well-known types name some fields in camelCase. */
function nameOf(type: protobuf.Type, id: number): string {
  const f = type.fieldsById[id];
  if (!f) throw new Error(`${type.fullName} has no field ${id}`);
  return f.name;
}

function specialConverter(type: protobuf.Type, plan: MessageIn): Convert | undefined {
  const name = type.fullName;
  const make = () => Object.create(plan.proto) as MessageObject;
  if (WRAPPERS.has(name)) {
    const value = plan.fields.get("value")!;
    return (v) => {
      const m = make();
      if (v === null) throw typeError(`a ${type.name} value`, v);
      const x = value.convert(v);
      if (!isDefault(x)) m.value = x;
      return m;
    };
  }
  switch (name) {
    case ".google.protobuf.Any":
      return (v) => convertAny(type, make, v);
    case ".google.protobuf.Duration":
    case ".google.protobuf.Timestamp":
      return (v) => {
        const { seconds, nanos } = name === ".google.protobuf.Duration" ? parseDuration(v) : parseTimestamp(v);
        const m = make();
        if (!isDefault(seconds)) m.seconds = seconds;
        if (nanos !== 0) m.nanos = nanos;
        return m;
      };
    case ".google.protobuf.FieldMask":
      return (v) => {
        const m = make();
        const paths = parseFieldMask(v);
        if (paths.length > 0) m.paths = paths;
        return m;
      };
    case ".google.protobuf.Struct": {
      const fields = nameOf(type, 1);
      const valuePlan = () => planOf(type.fieldsById[1].resolvedType as protobuf.Type);
      return (v) => {
        if (!isPlainObject(v)) throw typeError("an object (Struct)", v);
        const m = make();
        const keys = Object.keys(v)
          .filter((k) => v[k] !== undefined)
          .sort();
        if (keys.length === 0) return m;
        const out: Record<string, unknown> = {};
        for (const k of keys) {
          path.push(mapKeyPart(k));
          out[k] = convertMessage(valuePlan(), v[k]);
          path.pop();
        }
        m[fields] = out;
        return m;
      };
    }
    case ".google.protobuf.ListValue": {
      const values = nameOf(type, 1);
      const valuePlan = () => planOf(type.fieldsById[1].resolvedType as protobuf.Type);
      return (v) => {
        if (!Array.isArray(v)) throw typeError("an array (ListValue)", v);
        const m = make();
        if (v.length > 0) {
          m[values] = v.map((item, i) => {
            path.push(i);
            const converted = convertMessage(valuePlan(), item);
            path.pop();
            return converted;
          });
        }
        return m;
      };
    }
    case ".google.protobuf.Value":
      return valueConverterFor(type, make);
    default:
      return undefined;
  }
}

function valueConverterFor(type: protobuf.Type, make: () => Record<string, unknown>): Convert {
  const [nullF, numberF, stringF, boolF, structF, listF] = [1, 2, 3, 4, 5, 6].map((id) => nameOf(type, id));
  const structPlan = () => planOf(type.fieldsById[5].resolvedType as protobuf.Type);
  const listPlan = () => planOf(type.fieldsById[6].resolvedType as protobuf.Type);
  return (v) => {
    const m = make();
    if (v === null) m[nullF] = 0;
    else if (typeof v === "number") {
      if (!Number.isFinite(v)) throw typeError("a finite number", v);
      m[numberF] = v;
    } else if (typeof v === "string") m[stringF] = v;
    else if (typeof v === "boolean") m[boolF] = v;
    else if (Array.isArray(v)) m[listF] = convertMessage(listPlan(), v);
    else if (isPlainObject(v)) m[structF] = convertMessage(structPlan(), v);
    else throw typeError("a JSON value", v);
    return m;
  };
}

function convertAny(anyType: protobuf.Type, make: () => Record<string, unknown>, v: unknown): unknown {
  if (!isPlainObject(v)) throw typeError("an object with @type (Any)", v);
  const url = v["@type"];
  if (typeof url !== "string" || url === "") {
    path.push("@type");
    throw new ProtoJsonError("", "json.any_type", 'an Any needs "@type" with the type URL of its content');
  }
  const inner = typeForUrl(url);
  if (!inner) {
    path.push("@type");
    throw new ProtoJsonError("", "json.any_type", `unknown type URL ${JSON.stringify(url)}: no such message type is loaded`);
  }
  const innerPlan = planOf(inner);
  let message: unknown;
  if (innerPlan.special) {
    // Well-known types inside an Any carry their JSON form under "value".
    for (const key of Object.keys(v)) {
      if (key !== "@type" && key !== "value") {
        path.push(key);
        throw unknownField(inner, key);
      }
    }
    path.push("value");
    message = innerPlan.special(v.value);
    path.pop();
  } else {
    message = convertMessage(innerPlan, v, true);
  }
  const any = make();
  any[nameOf(anyType, 1)] = url;
  any[nameOf(anyType, 2)] = inner.encode(message as protobuf.Message).finish();
  rememberUnpacked(any, message as protobuf.Message);
  return any;
}
