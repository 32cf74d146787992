// Turning violations into the one-line message a status condition carries, the way the
// API server words a rejected object: "<path>: <message>", joined, with a bounded length
// so one broken route cannot bloat its status.
import type { Violation } from "./crd";

export interface FormatOptions {
  /** How many violations to spell out before summarising the rest (default 5). */
  max?: number;
}

export function formatViolations(violations: readonly Violation[], opts: FormatOptions = {}): string {
  const max = Math.max(1, opts.max ?? 5);
  const shown = violations.slice(0, max).map((v) => (v.path ? `${v.path}: ${v.message}` : v.message));
  const rest = violations.length - shown.length;
  return rest > 0 ? `${shown.join("; ")} (and ${rest} more)` : shown.join("; ");
}
