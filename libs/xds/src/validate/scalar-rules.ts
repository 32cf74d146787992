// PGV rules on scalar values: string, bytes, bool, enum and every numeric kind, compiled
// once per field into small check functions. Rule names and semantics follow
// protoc-gen-validate's validate.proto (including `ignore_empty`, which Envoy's protos use
// but the validate.proto bundled with grpc-js-xds predates). A rule name this file does
// not know goes to `unsupported`, never silently ignored.
import { isIP } from "node:net";
import protobuf from "protobufjs";
import Long from "long";
import { currentPath, type Check, type ReportUnsupported, type ValidationIssue } from "./validation-issue";

type Json = Record<string, unknown>;

export const NUMERIC_KINDS = new Set([
  "float", "double", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64",
]);

/** Records an issue at the path being visited (see validation-issue.ts). */
export function issue(out: ValidationIssue[], rule: string, message: string): void {
  out.push({ path: currentPath(), rule, message });
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

const q = (v: unknown) => JSON.stringify(v);

/** Runs checks in order; `ignore_empty` skips them all for the kind's empty value. */
export function combine(checks: Check[], ignoreEmpty?: (v: unknown) => boolean): Check | undefined {
  if (checks.length === 0) return undefined;
  const all: Check =
    checks.length === 1
      ? checks[0]
      : (v, out) => {
          for (const c of checks) c(v, out);
        };
  return ignoreEmpty ? (v, out) => (ignoreEmpty(v) ? undefined : all(v, out)) : all;
}

function runeLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

// protoc-gen-validate's definitions of the well-known header regexes.
// `+-.` is a range (+ , - .), exactly as PGV writes it; it lets a comma through.
const HEADER_NAME_STRICT = /^:?[0-9a-zA-Z!#$%&'*+-.^_|~`]+$/;
const HEADER_VALUE_STRICT = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
const HEADER_LOOSE = /^[^\u0000\u000A\u000D]*$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function isHostname(s: string): boolean {
  const h = s.endsWith(".") ? s.slice(0, -1) : s;
  if (h.length === 0 || h.length > 253) return false;
  return h.split(".").every((l) => /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(l));
}

function isUri(s: string, relativeOk: boolean): boolean {
  try {
    new URL(s, relativeOk ? "http://relative.invalid/" : undefined);
    return true;
  } catch {
    return false;
  }
}

export function compileString(r: Json, report: ReportUnsupported): Check | undefined {
  const checks: Check[] = [];
  const add = (rule: string, ok: (s: string) => boolean, message: string) =>
    checks.push((v, out) => {
      if (!ok(v as string)) issue(out, `string.${rule}`, message);
    });
  const strict = r.strict !== false;
  for (const [k, val] of Object.entries(r)) {
    switch (k) {
      case "const": add(k, (s) => s === val, `must equal ${q(val)}`); break;
      case "len": add(k, (s) => runeLength(s) === val, `must be exactly ${val} characters long`); break;
      // A code point is one or two UTF-16 units, so the length alone often decides.
      case "min_len": add(k, (s) => s.length >= 2 * (val as number) || (s.length >= (val as number) && runeLength(s) >= (val as number)), `must be at least ${val} characters long`); break;
      case "max_len": add(k, (s) => s.length <= (val as number) || runeLength(s) <= (val as number), `must be at most ${val} characters long`); break;
      case "len_bytes": add(k, (s) => Buffer.byteLength(s) === val, `must be exactly ${val} bytes long`); break;
      case "min_bytes": add(k, (s) => Buffer.byteLength(s) >= (val as number), `must be at least ${val} bytes long`); break;
      case "max_bytes": add(k, (s) => s.length * 3 <= (val as number) || Buffer.byteLength(s) <= (val as number), `must be at most ${val} bytes long`); break;
      case "pattern": {
        let re: RegExp;
        try {
          re = new RegExp(val as string, "u");
        } catch {
          report(`string.pattern`, `pattern ${q(val)} is not a JavaScript regular expression`);
          break;
        }
        add(k, (s) => re.test(s), `must match the pattern ${q(val)}`);
        break;
      }
      case "prefix": add(k, (s) => s.startsWith(val as string), `must start with ${q(val)}`); break;
      case "suffix": add(k, (s) => s.endsWith(val as string), `must end with ${q(val)}`); break;
      case "contains": add(k, (s) => s.includes(val as string), `must contain ${q(val)}`); break;
      case "not_contains": add(k, (s) => !s.includes(val as string), `must not contain ${q(val)}`); break;
      case "in": {
        const set = new Set(asArray(val));
        add(k, (s) => set.has(s), `must be one of ${[...set].map(q).join(", ")}`);
        break;
      }
      case "not_in": {
        const set = new Set(asArray(val));
        add(k, (s) => !set.has(s), `must not be one of ${[...set].map(q).join(", ")}`);
        break;
      }
      case "email": if (val) add(k, (s) => /^[^@\s]+@[^@\s]+$/.test(s) && isHostname(s.slice(s.lastIndexOf("@") + 1)), "must be an email address"); break;
      case "hostname": if (val) add(k, isHostname, "must be a valid hostname"); break;
      case "ip": if (val) add(k, (s) => isIP(s) !== 0, "must be an IP address"); break;
      case "ipv4": if (val) add(k, (s) => isIP(s) === 4, "must be an IPv4 address"); break;
      case "ipv6": if (val) add(k, (s) => isIP(s) === 6, "must be an IPv6 address"); break;
      case "address": if (val) add(k, (s) => isIP(s) !== 0 || isHostname(s), "must be an IP address or a hostname"); break;
      case "uri": if (val) add(k, (s) => isUri(s, false), "must be an absolute URI"); break;
      case "uri_ref": if (val) add(k, (s) => isUri(s, true), "must be a URI reference"); break;
      case "uuid": if (val) add(k, (s) => UUID.test(s), "must be a UUID"); break;
      case "well_known_regex":
        if (val === "HTTP_HEADER_NAME") {
          const re = strict ? HEADER_NAME_STRICT : HEADER_LOOSE;
          add(k, (s) => re.test(s), strict ? "must be a valid HTTP header name" : "must not contain NUL, CR or LF");
        } else if (val === "HTTP_HEADER_VALUE") {
          const re = strict ? HEADER_VALUE_STRICT : HEADER_LOOSE;
          add(k, (s) => re.test(s), strict ? "must be a valid HTTP header value" : "must not contain NUL, CR or LF");
        } else if (val !== "UNKNOWN" && val !== 0) {
          report(`string.well_known_regex`, `unknown well-known regex ${q(val)}`);
        }
        break;
      case "strict": // modifies well_known_regex
      case "ignore_empty":
        break;
      default:
        report(`string.${k}`);
    }
  }
  return combine(checks, r.ignore_empty ? (v) => v === "" : undefined);
}

function bytesOf(v: unknown): Uint8Array {
  return v instanceof Uint8Array ? v : Array.isArray(v) ? Uint8Array.from(v as number[]) : new Uint8Array(0);
}

export function compileBytes(r: Json, report: ReportUnsupported): Check | undefined {
  const checks: Check[] = [];
  const add = (rule: string, ok: (b: Buffer) => boolean, message: string) =>
    checks.push((v, out) => {
      const b = bytesOf(v);
      if (!ok(Buffer.from(b.buffer, b.byteOffset, b.byteLength))) issue(out, `bytes.${rule}`, message);
    });
  const addLength = (rule: string, ok: (n: number) => boolean, message: string) =>
    checks.push((v, out) => {
      if (!ok((v as { length?: number } | null)?.length ?? 0)) issue(out, `bytes.${rule}`, message);
    });
  const buf = (s: unknown) => Buffer.from(String(s), "latin1");
  for (const [k, val] of Object.entries(r)) {
    switch (k) {
      case "const": add(k, (b) => b.equals(buf(val)), "must equal the given bytes"); break;
      // Length rules read the length only: no copy of the bytes on the hot path.
      case "len": addLength(k, (n) => n === val, `must be exactly ${val} bytes long`); break;
      case "min_len": if ((val as number) > 0) addLength(k, (n) => n >= (val as number), `must be at least ${val} bytes long`); break;
      case "max_len": addLength(k, (n) => n <= (val as number), `must be at most ${val} bytes long`); break;
      case "pattern": {
        const re = new RegExp(val as string);
        add(k, (b) => re.test(b.toString("latin1")), `must match the pattern ${q(val)}`);
        break;
      }
      case "prefix": add(k, (b) => b.subarray(0, buf(val).length).equals(buf(val)), `must start with ${q(val)}`); break;
      case "suffix": add(k, (b) => b.length >= buf(val).length && b.subarray(b.length - buf(val).length).equals(buf(val)), `must end with ${q(val)}`); break;
      case "contains": add(k, (b) => b.includes(buf(val)), `must contain ${q(val)}`); break;
      case "in": add(k, (b) => asArray(val).some((x) => b.equals(buf(x))), "must be one of the allowed values"); break;
      case "not_in": add(k, (b) => !asArray(val).some((x) => b.equals(buf(x))), "must not be one of the forbidden values"); break;
      case "ip": if (val) add(k, (b) => b.length === 4 || b.length === 16, "must be an IP address (4 or 16 bytes)"); break;
      case "ipv4": if (val) add(k, (b) => b.length === 4, "must be an IPv4 address (4 bytes)"); break;
      case "ipv6": if (val) add(k, (b) => b.length === 16, "must be an IPv6 address (16 bytes)"); break;
      case "ignore_empty": break;
      default: report(`bytes.${k}`);
    }
  }
  return combine(checks, r.ignore_empty ? (v) => bytesOf(v).length === 0 : undefined);
}

export function compileBool(r: Json, report: ReportUnsupported): Check | undefined {
  const checks: Check[] = [];
  for (const [k, val] of Object.entries(r)) {
    if (k === "const") {
      checks.push((v, out) => {
        if ((v ?? false) !== val) issue(out, "bool.const", `must be ${val}`);
      });
    } else report(`bool.${k}`);
  }
  return combine(checks);
}

/** Numbers as JavaScript compares them: exact numbers, or bigint beyond 2^53 (mixed comparisons are exact). */
export function numeric(v: unknown): number | bigint {
  if (typeof v === "number") return v;
  if (Long.isLong(v)) {
    const l = v as Long;
    const n = l.toNumber();
    return Number.isSafeInteger(n) ? n : BigInt(l.toString());
  }
  if (typeof v === "string") return /^-?\d+$/.test(v) ? BigInt(v) : Number(v);
  if (typeof v === "bigint") return v;
  return 0;
}

/** Range rules shared by numbers, durations and timestamps, with PGV's reversed (exclusive) ranges. */
export function compileRange<T>(
  kind: string,
  r: Json,
  toValue: (raw: unknown) => T,
  cmp: (a: T, b: T) => number,
  show: (raw: unknown) => string,
): Check[] {
  const checks: Check[] = [];
  const lowerKey = r.gt !== undefined ? "gt" : r.gte !== undefined ? "gte" : undefined;
  const upperKey = r.lt !== undefined ? "lt" : r.lte !== undefined ? "lte" : undefined;
  const lower = lowerKey ? toValue(r[lowerKey]) : undefined;
  const upper = upperKey ? toValue(r[upperKey]) : undefined;
  const above = (v: T) => (lower === undefined ? true : lowerKey === "gt" ? cmp(v, lower) > 0 : cmp(v, lower) >= 0);
  const below = (v: T) => (upper === undefined ? true : upperKey === "lt" ? cmp(v, upper) < 0 : cmp(v, upper) <= 0);
  const words: Record<string, string> = { gt: "greater than", gte: "at least", lt: "less than", lte: "at most" };
  if (lower !== undefined && upper !== undefined) {
    const reversed = cmp(lower, upper) > 0;
    const open = lowerKey === "gt" ? "(" : "[";
    const close = upperKey === "lt" ? ")" : "]";
    const range = `${open}${show(r[lowerKey!])}, ${show(r[upperKey!])}${close}`;
    checks.push((raw, out) => {
      const v = toValue(raw);
      if (reversed) {
        if (!above(v) && !below(v)) issue(out, `${kind}.${lowerKey}`, `must be ${words[lowerKey!]} ${show(r[lowerKey!])} or ${words[upperKey!]} ${show(r[upperKey!])}, got ${show(raw)}`);
      } else if (!above(v) || !below(v)) {
        // The rule named is the bound that was crossed.
        issue(out, `${kind}.${above(v) ? upperKey : lowerKey}`, `must be inside the range ${range}, got ${show(raw)}`);
      }
    });
  } else if (lower !== undefined) {
    checks.push((raw, out) => {
      if (!above(toValue(raw))) issue(out, `${kind}.${lowerKey}`, `must be ${words[lowerKey!]} ${show(r[lowerKey!])}, got ${show(raw)}`);
    });
  } else if (upper !== undefined) {
    checks.push((raw, out) => {
      if (!below(toValue(raw))) issue(out, `${kind}.${upperKey}`, `must be ${words[upperKey!]} ${show(r[upperKey!])}, got ${show(raw)}`);
    });
  }
  return checks;
}

export function compileNumber(kind: string, r: Json, report: ReportUnsupported): Check | undefined {
  const cmp = (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0);
  const show = (raw: unknown) => String(numeric(raw));
  const checks = compileRange(kind, r, numeric, cmp, show);
  for (const [k, val] of Object.entries(r)) {
    switch (k) {
      case "const": checks.push((v, out) => { if (numeric(v) != numeric(val)) issue(out, `${kind}.const`, `must equal ${show(val)}, got ${show(v)}`); }); break;
      case "in": {
        const allowed = asArray(val).map(numeric);
        checks.push((v, out) => { const n = numeric(v); if (!allowed.some((a) => a == n)) issue(out, `${kind}.in`, `must be one of ${allowed.join(", ")}, got ${show(v)}`); });
        break;
      }
      case "not_in": {
        const denied = asArray(val).map(numeric);
        checks.push((v, out) => { const n = numeric(v); if (denied.some((a) => a == n)) issue(out, `${kind}.not_in`, `must not be one of ${denied.join(", ")}`); });
        break;
      }
      case "gt": case "gte": case "lt": case "lte": case "ignore_empty": break;
      default: report(`${kind}.${k}`);
    }
  }
  return combine(checks, r.ignore_empty ? (v) => numeric(v) == 0 : undefined);
}

export function compileEnum(e: protobuf.Enum, r: Json, report: ReportUnsupported): Check | undefined {
  const checks: Check[] = [];
  const nameOf = (v: unknown) => (typeof v === "number" && e.valuesById[v] !== undefined ? e.valuesById[v] : String(v));
  for (const [k, val] of Object.entries(r)) {
    switch (k) {
      case "const": checks.push((v, out) => { if ((v ?? 0) !== val) issue(out, "enum.const", `must be ${nameOf(val)}`); }); break;
      case "defined_only":
        if (val) checks.push((v, out) => { if (e.valuesById[(v as number) ?? 0] === undefined) issue(out, "enum.defined_only", `${String(v)} is not a defined value of ${e.name}`); });
        break;
      case "in": {
        const allowed = new Set(asArray(val));
        checks.push((v, out) => { if (!allowed.has(v ?? 0)) issue(out, "enum.in", `must be one of ${[...allowed].map(nameOf).join(", ")}`); });
        break;
      }
      case "not_in": {
        const denied = new Set(asArray(val));
        checks.push((v, out) => { if (denied.has(v ?? 0)) issue(out, "enum.not_in", `must not be ${nameOf(v)}`); });
        break;
      }
      default: report(`enum.${k}`);
    }
  }
  return combine(checks);
}
