// Small helpers for writing Envoy resources as proto3 JSON (the form Envoy's config dump
// prints): snake_case fields, durations as "1.500s", Any as {"@type": url, ...fields}.
// Everything here is pure, so the same input gives the same bytes.

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

const TYPE_PREFIX = "type.googleapis.com/";

/** An Any in proto3 JSON form: the type URL first, then the message's own fields. */
export function typedConfig(typeName: string, fields: JsonObject = {}): JsonObject {
  return { "@type": `${TYPE_PREFIX}${typeName}`, ...fields };
}

/** The type URL of a fully qualified message name. */
export function typeUrlOf(typeName: string): string {
  return `${TYPE_PREFIX}${typeName}`;
}

/** google.protobuf.Duration in proto3 JSON ("5s", "0.250s") from whole milliseconds. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const seconds = Math.floor(total / 1000);
  const millis = total % 1000;
  return millis === 0 ? `${seconds}s` : `${seconds}.${String(millis).padStart(3, "0")}s`;
}

/** Escapes a literal for use inside an RE2 pattern. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/** Copies `fields` without the undefined entries, keeping the key order (so output stays stable). */
export function compact(fields: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}
