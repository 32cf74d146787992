// Kubernetes label selectors (matchLabels and matchExpressions) as a predicate.
import { asArray, type LabelSelector } from "./kube-types";

export type SelectorResult = { ok: true; matches: (labels: Record<string, string>) => boolean } | { ok: false; error: string };

export function compileSelector(selector: LabelSelector): SelectorResult {
  const exprs = asArray(selector.matchExpressions);
  for (const e of exprs) {
    const op = e.operator;
    if (!e.key) return { ok: false, error: "matchExpressions entry has no key" };
    if (op === "In" || op === "NotIn") {
      if (asArray(e.values).length === 0) return { ok: false, error: `operator ${op} needs values` };
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (asArray(e.values).length > 0) return { ok: false, error: `operator ${op} takes no values` };
    } else {
      return { ok: false, error: `unknown operator ${String(op)}` };
    }
  }
  const matchLabels = selector.matchLabels ?? {};
  return {
    ok: true,
    matches: (labels) => {
      for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
      for (const e of exprs) {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key!);
        const values = asArray(e.values);
        switch (e.operator) {
          case "In":
            if (!has || !values.includes(labels[e.key!])) return false;
            break;
          case "NotIn":
            if (has && values.includes(labels[e.key!])) return false;
            break;
          case "Exists":
            if (!has) return false;
            break;
          case "DoesNotExist":
            if (has) return false;
            break;
        }
      }
      return true;
    },
  };
}
