// Gateway API Duration (GEP-2257) as the CRD pattern accepts it: one to four
// <number><unit> parts, numbers of up to five digits, units h, m, s, ms.

const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

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
  if (typeof value !== "string" || !DURATION.test(value)) return Number.NaN;
  // The pattern has vouched for the shape: digits, then h, m, s or ms, repeated.
  let total = 0;
  let amount = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      amount = amount * 10 + (c - 48);
      continue;
    }
    if (c === 104 /* h */) total += amount * 3_600_000;
    else if (c === 115 /* s */) total += amount * 1_000;
    else if (value.charCodeAt(i + 1) === 115 /* ms */) {
      total += amount;
      i++;
    } else total += amount * 60_000;
    amount = 0;
  }
  return total;
}
