// PGV rules on well-known message types: Duration, Timestamp and Any. `required` is
// returned separately because it is about presence, which the field walker decides.
import { formatDuration, formatTimestamp, longToNumber } from "../proto/json-scalars";
import { asArray, combine, compileRange, issue } from "./scalar-rules";
import type { Check, ReportUnsupported } from "./validation-issue";

type Json = Record<string, unknown>;
type SecNanos = [number, number];

export interface WellKnownRules {
  check?: Check;
  required: boolean;
}

function secNanos(raw: unknown): SecNanos {
  const d = (raw ?? {}) as { seconds?: unknown; nanos?: number };
  return [longToNumber(d.seconds), d.nanos ?? 0];
}

function cmp(a: SecNanos, b: SecNanos): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}

export function compileDuration(r: Json, report: ReportUnsupported): WellKnownRules {
  const show = (raw: unknown) => formatDuration((raw ?? {}) as { seconds?: unknown; nanos?: number });
  const checks = compileRange("duration", r, secNanos, cmp, show);
  for (const [k, val] of Object.entries(r)) {
    switch (k) {
      case "const": {
        const want = secNanos(val);
        checks.push((v, out) => { if (cmp(secNanos(v), want) !== 0) issue(out, "duration.const", `must be ${show(val)}`); });
        break;
      }
      case "in": {
        const allowed = asArray(val).map(secNanos);
        checks.push((v, out) => { const d = secNanos(v); if (!allowed.some((a) => cmp(a, d) === 0)) issue(out, "duration.in", `must be one of ${asArray(val).map(show).join(", ")}`); });
        break;
      }
      case "not_in": {
        const denied = asArray(val).map(secNanos);
        checks.push((v, out) => { const d = secNanos(v); if (denied.some((a) => cmp(a, d) === 0)) issue(out, "duration.not_in", `must not be ${show(v)}`); });
        break;
      }
      case "required": case "gt": case "gte": case "lt": case "lte": break;
      default: report(`duration.${k}`);
    }
  }
  return { check: combine(checks), required: r.required === true };
}

export function compileTimestamp(r: Json, report: ReportUnsupported): WellKnownRules {
  const show = (raw: unknown) => formatTimestamp((raw ?? {}) as { seconds?: unknown; nanos?: number });
  const checks = compileRange("timestamp", r, secNanos, cmp, show);
  const now = (): SecNanos => {
    const ms = Date.now();
    return [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];
  };
  for (const [k, val] of Object.entries(r)) {
    switch (k) {
      case "const": {
        const want = secNanos(val);
        checks.push((v, out) => { if (cmp(secNanos(v), want) !== 0) issue(out, "timestamp.const", `must be ${show(val)}`); });
        break;
      }
      // The *_now rules read the clock, as PGV's generated code does.
      case "lt_now": if (val) checks.push((v, out) => { if (cmp(secNanos(v), now()) >= 0) issue(out, "timestamp.lt_now", "must be in the past"); }); break;
      case "gt_now": if (val) checks.push((v, out) => { if (cmp(secNanos(v), now()) <= 0) issue(out, "timestamp.gt_now", "must be in the future"); }); break;
      case "within": {
        const w = secNanos(val);
        checks.push((v, out) => {
          const t = secNanos(v);
          const n = now();
          const diff: SecNanos = [Math.abs(t[0] - n[0]), 0];
          if (cmp(diff, w) > 0) issue(out, "timestamp.within", `must be within ${formatDuration({ seconds: w[0], nanos: w[1] })} of now`);
        });
        break;
      }
      case "required": case "gt": case "gte": case "lt": case "lte": break;
      default: report(`timestamp.${k}`);
    }
  }
  return { check: combine(checks), required: r.required === true };
}

export function compileAny(r: Json, report: ReportUnsupported): WellKnownRules {
  const checks: Check[] = [];
  const urlOf = (v: unknown) => ((v ?? {}) as { type_url?: string }).type_url ?? "";
  for (const [k, val] of Object.entries(r)) {
    switch (k) {
      case "in": {
        const allowed = new Set(asArray(val));
        checks.push((v, out) => { if (!allowed.has(urlOf(v))) issue(out, "any.in", `type ${urlOf(v)} is not one of ${[...allowed].join(", ")}`); });
        break;
      }
      case "not_in": {
        const denied = new Set(asArray(val));
        checks.push((v, out) => { if (denied.has(urlOf(v))) issue(out, "any.not_in", `type ${urlOf(v)} is not allowed here`); });
        break;
      }
      case "required": break;
      default: report(`any.${k}`);
    }
  }
  return { check: combine(checks), required: r.required === true };
}
