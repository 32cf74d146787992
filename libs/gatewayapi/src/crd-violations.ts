// What the Gateway API CRDs (schema and CEL) would reject in an object, from
// @gatehouse/validation, grouped the way translation uses it. The API server never admits
// such objects; objects read from files can still hold them. Translation first applies its
// own, finer-grained checks (their reasons match other implementations); these violations
// decide only when translation found nothing wrong, so the operator still hears about them.
import { validateObject, type Violation } from "@gatehouse/validation";
import type { KubeObject } from "./kube-types";

export interface CRDViolations {
  /** Violations outside any rule (parentRefs, hostnames, metadata...). */
  object: string[];
  /** Violations inside spec.rules[i], by rule index. */
  rules: Map<number, string[]>;
}

const cache = new WeakMap<KubeObject, CRDViolations | null>();
const RULE_PATH = /^spec\.rules\[(\d+)\]/;

export function crdViolations(obj: KubeObject): CRDViolations | undefined {
  const hit = cache.get(obj);
  if (hit !== undefined) return hit ?? undefined;
  let found: Violation[];
  try {
    found = validateObject(obj as Parameters<typeof validateObject>[0]);
  } catch {
    found = [];
  }
  if (found.length === 0) {
    cache.set(obj, null);
    return undefined;
  }
  const out: CRDViolations = { object: [], rules: new Map() };
  for (const v of found) {
    const text = `${v.path}: ${v.message}`;
    const m = RULE_PATH.exec(v.path);
    if (m) {
      const i = Number(m[1]);
      const list = out.rules.get(i) ?? [];
      list.push(text);
      out.rules.set(i, list);
    } else {
      out.object.push(text);
    }
  }
  cache.set(obj, out);
  return out;
}

/** All violations as one message. */
export function violationMessage(v: CRDViolations): string {
  const all = [...v.object, ...[...v.rules.values()].flat()];
  const shown = all.slice(0, 5).join("; ");
  return `Fails Gateway API validation (the API server would reject it): ${shown}${all.length > 5 ? `; and ${all.length - 5} more` : ""}`;
}
