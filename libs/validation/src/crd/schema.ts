// A small schema-checking DSL for the shapes of the Gateway API CRDs. A schema is built
// once, at module load, as a tree of closures; checking an object walks it with one
// mutable path stack and builds path strings only for the violations it reports, which
// is what lets a translator validate tens of thousands of routes per second.
//
// Messages and reasons follow the Kubernetes API server's field errors ("Required
// value", "Unsupported value", FieldValueInvalid, ...), so an operator reads the same
// words `kubectl apply` would have printed. CEL rules (x-kubernetes-validations) are
// named checks carrying the CRD's own message; like the API server they see the object
// with defaults applied, so each rule reads fields through their CRD defaults.

export interface Violation {
  /** Where, like `spec.rules[0].filters[1]`. */
  path: string;
  message: string;
  /** The Kubernetes field error reason: FieldValueRequired, FieldValueInvalid, ... */
  reason?: string;
  /** For CEL rules, the rule's name (e.g. `filters.unique-RequestHeaderModifier`);
   * for schema errors, the keyword that failed (`required`, `pattern`, `maxItems`, ...). */
  rule?: string;
}

/** Where a walk is (a stack of keys and indexes) and what it found so far. */
export interface Ctx {
  segs: (string | number)[];
  out: Violation[];
}

/** Checks one value found at the context's current path, appending what is wrong. */
export type Node = (value: unknown, ctx: Ctx) => void;

/** The current path as text (`spec.rules[0].filters[1]`, map keys as `labels[app]`),
 * plus an optional child key. */
export function pathOf(ctx: Ctx, child?: string | number): string {
  let p = "";
  for (const seg of ctx.segs) p = join(p, seg);
  return child === undefined ? p : join(p, child);
}

function join(p: string, seg: string | number): string {
  if (typeof seg === "number") return `${p}[${seg}]`;
  // Map keys are pushed already bracketed (see dict), as the API server prints them.
  if (p === "" || seg.startsWith("[")) return p + seg;
  return `${p}.${seg}`;
}

/** Runs `node` on `value` found at `path` (a dotted prefix such as "spec"), appending to `out`. */
export function checkAt(node: Node, value: unknown, path: string, out: Violation[]): void {
  node(value, { segs: path === "" ? [] : [path], out });
}

/** A CEL rule: `valid` returns true when the rule holds for `self`. */
export interface Rule {
  name: string;
  message: string;
  // `self` is whatever the schema let through (already type-checked at this node, but
  // children may still be malformed): rules must read defensively, and a rule that
  // throws is treated as not applicable rather than as a crash.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  valid(self: any): boolean;
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeError(ctx: Ctx, want: string, v: unknown): void {
  const path = pathOf(ctx);
  ctx.out.push({
    path,
    message: `Invalid value: "${typeName(v)}": ${path} must be of type ${want}`,
    reason: "FieldValueTypeInvalid",
    rule: "type",
  });
}

/** A value that breaks a bound or format: "Invalid value: <v>: <path> in body <what>", as the API server says it. */
function invalidValue(ctx: Ctx, shown: string | number, what: string, rule: string): void {
  const path = pathOf(ctx);
  ctx.out.push({ path, message: `Invalid value: ${shown}: ${path} in body ${what}`, reason: "FieldValueInvalid", rule });
}

/** Kubernetes counts string lengths in Unicode code points, not UTF-16 units. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

const registeredRules = new Set<string>();

/** Names of every CEL rule built into a schema so far (all of them once the kinds are loaded). */
export function celRuleNames(): string[] {
  return [...registeredRules].sort();
}

function register(rules: readonly Rule[] | undefined): void {
  if (rules) for (const r of rules) registeredRules.add(r.name);
}

export function runRules(rules: readonly Rule[] | undefined, self: unknown, ctx: Ctx): void {
  if (!rules) return;
  for (const rule of rules) {
    let ok: boolean;
    try {
      ok = rule.valid(self);
    } catch {
      // Malformed children the schema already reported; the API server would not get
      // this far either.
      continue;
    }
    if (!ok) ctx.out.push({ path: pathOf(ctx), message: rule.message, reason: "FieldValueInvalid", rule: rule.name });
  }
}

export interface StringOptions {
  minLength?: number;
  maxLength?: number;
  /** The CRD pattern, compiled once; `patternText` is what messages quote (defaults to its source). */
  pattern?: RegExp;
  patternText?: string;
  enum?: readonly string[];
  /** `format` keywords the CRDs use. */
  format?: "ipv4-or-ipv6";
  rules?: readonly Rule[];
}

export function str(opts: StringOptions = {}): Node {
  const { minLength, maxLength, pattern, enum: values, format, rules } = opts;
  const patternText = opts.patternText ?? pattern?.source;
  const enumSet = values ? new Set(values) : undefined;
  const enumText = values?.map((v) => JSON.stringify(v)).join(", ");
  register(rules);
  return (v, ctx) => {
    if (typeof v !== "string") return typeError(ctx, "string", v);
    const out = ctx.out;
    if (enumSet && !enumSet.has(v)) {
      out.push({
        path: pathOf(ctx),
        message: `Unsupported value: ${show(v)}: supported values: ${enumText}`,
        reason: "FieldValueNotSupported",
        rule: "enum",
      });
      return;
    }
    if (maxLength !== undefined && v.length > maxLength && codePoints(v) > maxLength) {
      out.push({
        path: pathOf(ctx),
        message: `Too long: may not be more than ${maxLength} characters`,
        reason: "FieldValueTooLong",
        rule: "maxLength",
      });
    } else if (minLength !== undefined && v.length < minLength * 2 && codePoints(v) < minLength) {
      invalidValue(ctx, show(v), `should be at least ${minLength} chars long`, "minLength");
    }
    if (pattern && !pattern.test(v)) {
      invalidValue(ctx, show(v), `should match '${patternText}'`, "pattern");
    }
    if (format === "ipv4-or-ipv6" && !isIp(v)) {
      invalidValue(ctx, show(v), "must be of type ipv4 or ipv6", "format");
    }
    if (rules) runRules(rules, v, ctx);
  };
}

export interface IntegerOptions {
  minimum?: number;
  maximum?: number;
  enum?: readonly number[];
  /** int32 (default) or int64. */
  format?: "int32" | "int64";
}

const INT32 = 2 ** 31;

export function int(opts: IntegerOptions = {}): Node {
  const { minimum, maximum, enum: values } = opts;
  const int32 = opts.format !== "int64";
  const enumText = values?.map(String).join(", ");
  return (v, ctx) => {
    if (typeof v !== "number" || !Number.isInteger(v)) return typeError(ctx, "integer", v);
    const out = ctx.out;
    if (int32 && (v < -INT32 || v >= INT32)) {
      invalidValue(ctx, v, "must fit in int32", "format");
      return;
    }
    if (values && !values.includes(v)) {
      out.push({
        path: pathOf(ctx),
        message: `Unsupported value: ${v}: supported values: ${enumText}`,
        reason: "FieldValueNotSupported",
        rule: "enum",
      });
      return;
    }
    if (minimum !== undefined && v < minimum) {
      invalidValue(ctx, v, `should be greater than or equal to ${minimum}`, "minimum");
    }
    if (maximum !== undefined && v > maximum) {
      invalidValue(ctx, v, `should be less than or equal to ${maximum}`, "maximum");
    }
  };
}

export function bool(): Node {
  return (v, ctx) => {
    if (typeof v !== "boolean") typeError(ctx, "boolean", v);
  };
}

export interface ObjectOptions {
  required?: readonly string[];
  rules?: readonly Rule[];
  /** A cheap test that, when true, proves every rule in `rules` holds, so they are skipped.
   * For hot objects with many rules (filters, path matches). */
  rulesHold?: (self: Json) => boolean;
  /** Checks that need the whole object and report on their own (the schema's oneOf). */
  check?: Node;
}

/**
 * An object with known properties. Unknown properties are not errors: the API server
 * prunes them, it does not reject them.
 */
export function obj(props: Record<string, Node>, opts: ObjectOptions = {}): Node {
  const keys = Object.keys(props);
  const nodes = keys.map((k) => props[k]);
  const required = opts.required ?? [];
  const { rules, check, rulesHold } = opts;
  register(rules);
  return (v, ctx) => {
    if (!isObject(v)) return typeError(ctx, "object", v);
    for (const key of required) {
      if (v[key] === undefined || v[key] === null) {
        ctx.out.push({ path: pathOf(ctx, key), message: "Required value", reason: "FieldValueRequired", rule: "required" });
      }
    }
    const segs = ctx.segs;
    for (let i = 0; i < keys.length; i++) {
      const child = v[keys[i]];
      // `null` is how YAML spells "unset"; the API server drops nulls of optional fields.
      if (child === undefined || child === null) continue;
      segs.push(keys[i]);
      nodes[i](child, ctx);
      segs.pop();
    }
    if (check) check(v, ctx);
    if (rules && !(rulesHold && rulesHold(v))) runRules(rules, v, ctx);
  };
}

export interface ArrayOptions {
  minItems?: number;
  maxItems?: number;
  /** x-kubernetes-list-type: `set` items must be unique; `map` items unique by `mapKeys`. */
  listType?: "atomic" | "set" | "map";
  mapKeys?: readonly string[];
  rules?: readonly Rule[];
}

export function arr(item: Node, opts: ArrayOptions = {}): Node {
  const { minItems, maxItems, listType, mapKeys, rules } = opts;
  register(rules);
  const keyOf =
    listType === "set"
      ? setKey
      : listType === "map" && mapKeys
        ? mapKeys.length === 1
          ? (x: unknown) => (isObject(x) ? setKey(x[mapKeys[0]] ?? null) : undefined)
          : (x: unknown) => (isObject(x) ? JSON.stringify(mapKeys.map((k) => x[k] ?? null)) : undefined)
        : undefined;
  return (v, ctx) => {
    if (!Array.isArray(v)) return typeError(ctx, "array", v);
    const out = ctx.out;
    if (maxItems !== undefined && v.length > maxItems) {
      out.push({
        path: pathOf(ctx),
        message: `Too many: ${v.length}: must have at most ${maxItems} items`,
        reason: "FieldValueTooMany",
        rule: "maxItems",
      });
    }
    if (minItems !== undefined && v.length < minItems) {
      invalidValue(ctx, v.length, `should have at least ${minItems} items`, "minItems");
    }
    const segs = ctx.segs;
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null || v[i] === undefined) {
        out.push({ path: pathOf(ctx, i), message: "Invalid value: null: items must not be null", reason: "FieldValueTypeInvalid", rule: "type" });
        continue;
      }
      segs.push(i);
      item(v[i], ctx);
      segs.pop();
    }
    if (keyOf && v.length > 1) uniqueBy(v, keyOf, ctx);
    if (rules) runRules(rules, v, ctx);
  };
}

function setKey(x: unknown): string {
  return typeof x === "object" && x !== null ? JSON.stringify(x) : `${typeof x}:${String(x)}`;
}

function uniqueBy(items: unknown[], key: (x: unknown) => string | undefined, ctx: Ctx): void {
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const k = key(items[i]);
    if (k === undefined) continue;
    if (seen.has(k)) {
      const shown = k.includes(":") && !k.startsWith("{") && !k.startsWith("[") ? k.slice(k.indexOf(":") + 1) : k;
      ctx.out.push({ path: pathOf(ctx, i), message: `Duplicate value: ${JSON.stringify(shown)}`, reason: "FieldValueDuplicate", rule: "listType" });
    } else seen.add(k);
  }
}

export interface MapOptions {
  maxProperties?: number;
  rules?: readonly Rule[];
}

/** An object used as a map (additionalProperties): every value checked by `value`. */
export function dict(value: Node, opts: MapOptions = {}): Node {
  const { maxProperties, rules } = opts;
  register(rules);
  return (v, ctx) => {
    if (!isObject(v)) return typeError(ctx, "object", v);
    const keys = Object.keys(v);
    if (maxProperties !== undefined && keys.length > maxProperties) {
      ctx.out.push({
        path: pathOf(ctx),
        message: `Too many: ${keys.length}: must have at most ${maxProperties} items`,
        reason: "FieldValueTooMany",
        rule: "maxProperties",
      });
    }
    const segs = ctx.segs;
    for (const key of keys) {
      if (v[key] === null || v[key] === undefined) continue;
      segs.push(`[${key}]`);
      value(v[key], ctx);
      segs.pop();
    }
    if (rules) runRules(rules, v, ctx);
  };
}

function isIp(s: string): boolean {
  return IPV4.test(s) || isIpv6(s);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(s: string): boolean {
  if (!s.includes(":")) return false;
  try {
    // URL parsing validates IPv6 literals strictly (no zones, no brackets inside).
    return new URL(`http://[${s}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** True for IPv4 or IPv6 literals, as CEL's isIP() answers. */
export function isIpAddress(s: string): boolean {
  return isIp(s);
}
