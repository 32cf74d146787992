// Proto3 JSON forms of scalars and of the well-known types whose JSON is a string
// (Duration, Timestamp, FieldMask, bytes, 64-bit integers): parsing is strict (a wrong
// form is an error, never a silent zero) and formatting is canonical, so bytes and JSON
// are the same for the same content.
import Long from "long";

/** A conversion failure at a path inside the resource: a bug in the builder, or bad input. */
export class ProtoJsonError extends Error {
  constructor(
    readonly path: string,
    readonly rule: string,
    readonly detail: string,
  ) {
    super(`${path || "(root)"}: ${detail}`);
    this.name = "ProtoJsonError";
  }
}

/** Proto3 JSON allows ±10000 years of Duration. */
const MAX_DURATION_SECONDS = 315_576_000_000;
const MIN_TIMESTAMP_SECONDS = -62_135_596_800; // 0001-01-01T00:00:00Z
const MAX_TIMESTAMP_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z
const INT_STRING = /^-?(0|[1-9]\d*)$/;
const NUMERIC_STRING = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export type IntKind = "int32" | "uint32" | "sint32" | "fixed32" | "sfixed32";
export type LongKind = "int64" | "uint64" | "sint64" | "fixed64" | "sfixed64";

const INT32_RANGE: Record<IntKind, [number, number]> = {
  int32: [-2147483648, 2147483647],
  sint32: [-2147483648, 2147483647],
  sfixed32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  fixed32: [0, 4294967295],
};

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** Errors from the parsers below carry no path: fromJSON fills it in from its path stack. */
export function typeError(expected: string, v: unknown): ProtoJsonError {
  return new ProtoJsonError("", "json.type", `expected ${expected}, got ${describe(v)}`);
}

/** A number or a numeric string (proto3 JSON accepts both for every numeric type). */
function numberFrom(v: unknown, expected: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && NUMERIC_STRING.test(v)) return Number(v);
  throw typeError(expected, v);
}

export function parseInt32(kind: IntKind, v: unknown): number {
  const n = numberFrom(v, kind);
  const [min, max] = INT32_RANGE[kind];
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ProtoJsonError("", "json.range", `${String(v)} is not a valid ${kind} (${min}..${max})`);
  }
  return n;
}

/** 64-bit integers: a number if it is exact in a double, else a Long (protobufjs encodes both). */
export function parseInt64(kind: LongKind, v: unknown): number | Long {
  const unsigned = kind === "uint64" || kind === "fixed64";
  let big: bigint;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) {
      throw new ProtoJsonError("", "json.range", `${v} is not an exact ${kind}: write large 64-bit values as strings`);
    }
    big = BigInt(v);
  } else if (typeof v === "string" && INT_STRING.test(v)) {
    big = BigInt(v);
  } else if (typeof v === "string" && NUMERIC_STRING.test(v) && Number.isSafeInteger(Number(v))) {
    big = BigInt(Number(v));
  } else {
    throw typeError(kind, v);
  }
  const min = unsigned ? 0n : -(1n << 63n);
  const max = unsigned ? (1n << 64n) - 1n : (1n << 63n) - 1n;
  if (big < min || big > max) throw new ProtoJsonError("", "json.range", `${String(v)} is out of range for ${kind}`);
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : Long.fromString(big.toString(), unsigned);
}

export function parseFloatValue(kind: "float" | "double", v: unknown): number {
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  const n = numberFrom(v, kind);
  if (!Number.isFinite(n)) throw new ProtoJsonError("", "json.range", `${String(v)} is not a finite ${kind}`);
  if (kind === "float" && Math.abs(n) > 3.4028234663852886e38) {
    throw new ProtoJsonError("", "json.range", `${n} is out of range for float`);
  }
  return n;
}

export function parseBytes(v: unknown): Uint8Array {
  if (typeof v !== "string" || !BASE64.test(v) || v.replace(/=+$/, "").length % 4 === 1) {
    throw typeError("bytes as base64", v);
  }
  return new Uint8Array(Buffer.from(v, v.includes("-") || v.includes("_") ? "base64url" : "base64"));
}

export function formatBytes(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
}

/** Seconds and nanos of a Duration or Timestamp, with the sign rules of duration.proto. */
export interface SecondsNanos {
  seconds: number | Long;
  nanos: number;
}

export function parseDuration(v: unknown): SecondsNanos {
  const m = typeof v === "string" ? DURATION.exec(v) : null;
  if (!m) throw typeError('a duration like "1.5s"', v);
  const seconds = Number(m[2]);
  const nanos = m[3] ? Number(m[3].padEnd(9, "0")) : 0;
  if (seconds > MAX_DURATION_SECONDS) throw new ProtoJsonError("", "json.range", `duration ${v} is out of range`);
  return m[1] ? { seconds: seconds === 0 ? 0 : -seconds, nanos: nanos === 0 ? 0 : -nanos } : { seconds, nanos };
}

export function longToNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (Long.isLong(v)) return (v as Long).toNumber();
  if (typeof v === "string") return Number(v);
  return 0;
}

export function formatLong(v: unknown): string {
  if (Long.isLong(v)) return (v as Long).toString();
  return String(v ?? 0);
}

/** Canonical proto3 JSON: 0, 3, 6 or 9 fractional digits. */
function fraction(nanos: number): string {
  if (nanos === 0) return "";
  const digits = String(nanos).padStart(9, "0");
  if (nanos % 1_000_000 === 0) return `.${digits.slice(0, 3)}`;
  if (nanos % 1_000 === 0) return `.${digits.slice(0, 6)}`;
  return `.${digits}`;
}

export function formatDuration(d: { seconds?: unknown; nanos?: number }): string {
  const seconds = longToNumber(d.seconds);
  const nanos = d.nanos ?? 0;
  const negative = seconds < 0 || nanos < 0;
  return `${negative ? "-" : ""}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;
}

export function parseTimestamp(v: unknown): SecondsNanos {
  const m = typeof v === "string" ? TIMESTAMP.exec(v) : null;
  if (!m) throw typeError('an RFC 3339 timestamp like "2024-01-02T03:04:05Z"', v);
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om] = m;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s));
  const millis = date.getTime();
  if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new ProtoJsonError("", "json.range", `${String(v)} is not a valid timestamp`);
  }
  let seconds = Math.floor(millis / 1000);
  if (!zulu) seconds -= (sign === "-" ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  if (seconds < MIN_TIMESTAMP_SECONDS || seconds > MAX_TIMESTAMP_SECONDS) {
    throw new ProtoJsonError("", "json.range", `timestamp ${String(v)} is out of range`);
  }
  return { seconds, nanos: frac ? Number(frac.padEnd(9, "0")) : 0 };
}

export function formatTimestamp(t: { seconds?: unknown; nanos?: number }): string {
  const seconds = longToNumber(t.seconds);
  const iso = new Date(seconds * 1000).toISOString(); // always ".000Z"
  return `${iso.slice(0, 19)}${fraction(t.nanos ?? 0)}Z`;
}

/** FieldMask paths: JSON uses lowerCamelCase joined by commas, the message snake_case. */
export function parseFieldMask(v: unknown): string[] {
  if (typeof v !== "string") throw typeError("a field mask string", v);
  if (v === "") return [];
  return v.split(",").map((p) => {
    if (p.includes("_")) throw new ProtoJsonError("", "json.type", `field mask path ${JSON.stringify(p)} must be lowerCamelCase`);
    return p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  });
}

export function formatFieldMask(paths: readonly string[]): string {
  return paths.map((p) => p.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())).join(",");
}

/** lowerCamelCase JSON name of a proto field, as protoc derives json_name. */
export function jsonNameOf(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
