// Gateway API Duration (GEP-2257) as the CRD pattern accepts it: one to four
// <number><unit> parts, numbers of up to five digits, units h, m, s, ms.

const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const PART = /([0-9]{1,5})(h|ms|m|s)/g;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Returns why `value` is not a Gateway API Duration, or undefined. */
export function durationError(value: string): string | undefined {
  if (typeof value !== "string") return "duration must be a string";
  if (!DURATION.test(value)) {
    return `duration ${JSON.stringify(value)} is invalid: expected up to four <number><unit> parts with units h, m, s or ms, like "1h30m" or "500ms"`;
  }
  return undefined;
}

/** Milliseconds in a valid Gateway API Duration; NaN when `value` is not one. */
export function parseDuration(value: string): number {
  if (durationError(value) !== undefined) return Number.NaN;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * UNIT_MS[unit];
  return total;
}
