// Helpers for writing CEL rules in TypeScript: `has()` as CEL means it (present and not
// null), and reads of fields that carry a CRD default return the default when unset,
// because the API server evaluates rules after defaulting.
import { isObject } from "./schema";

export function has(o: unknown, key: string): boolean {
  return isObject(o) && o[key] !== undefined && o[key] !== null;
}

export function field(o: unknown, key: string): unknown {
  return isObject(o) ? o[key] : undefined;
}

/** A string field with its CRD default applied. */
export function strOr(o: unknown, key: string, dflt: string): string {
  const v = field(o, key);
  return typeof v === "string" ? v : dflt;
}

export function list(o: unknown, key: string): unknown[] {
  const v = field(o, key);
  return Array.isArray(v) ? v : [];
}

/** CEL's `exists_one`. */
export function existsOne<T>(items: readonly T[], pred: (x: T) => boolean): boolean {
  let n = 0;
  for (const x of items) if (pred(x) && ++n > 1) return false;
  return n === 1;
}

export function countWhere<T>(items: readonly T[], pred: (x: T) => boolean): number {
  let n = 0;
  for (const x of items) if (pred(x)) n++;
  return n;
}
