// Kubernetes label selectors as apimachinery parses them (LabelSelectorAsSelector): the
// CRDs only check their shape, so a Listener's allowedRoutes.namespaces.selector with a
// bad operator or key passes the API server and must be reported by the controller.

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const OPERATORS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/** Why `key` is not a qualified label key (`[prefix/]name`), or undefined. */
export function labelKeyError(key: unknown): string | undefined {
  if (typeof key !== "string") return "label key must be a string";
  const slash = key.lastIndexOf("/");
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
      return `label key ${JSON.stringify(key)}: prefix must be a DNS subdomain of at most 253 characters`;
    }
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return `label key ${JSON.stringify(key)}: name must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric`;
  }
  return undefined;
}

/** Why `value` is not a label value (empty, or at most 63 characters of the name alphabet), or undefined. */
export function labelValueError(value: unknown): string | undefined {
  if (typeof value !== "string") return "label value must be a string";
  if (value === "") return undefined;
  if (value.length > 63 || !NAME.test(value)) {
    return `label value ${JSON.stringify(value)} must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric`;
  }
  return undefined;
}

/** Why `selector` cannot be turned into a label selector, or undefined. */
export function labelSelectorError(selector: unknown): string | undefined {
  if (selector === undefined || selector === null) return undefined;
  if (typeof selector !== "object" || Array.isArray(selector)) return "selector must be a mapping";
  const { matchLabels, matchExpressions } = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  if (matchLabels !== undefined && matchLabels !== null) {
    if (typeof matchLabels !== "object" || Array.isArray(matchLabels)) return "matchLabels must be a mapping";
    for (const [key, value] of Object.entries(matchLabels)) {
      const error = labelKeyError(key) ?? labelValueError(value);
      if (error) return `matchLabels: ${error}`;
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return "matchExpressions must be a list";
    for (const [i, expr] of matchExpressions.entries()) {
      const error = expressionError(expr);
      if (error) return `matchExpressions[${i}]: ${error}`;
    }
  }
  return undefined;
}

function expressionError(expr: unknown): string | undefined {
  if (typeof expr !== "object" || expr === null) return "expression must be a mapping";
  const { key, operator, values } = expr as { key?: unknown; operator?: unknown; values?: unknown };
  const keyError = labelKeyError(key);
  if (keyError) return keyError;
  if (typeof operator !== "string" || !OPERATORS.has(operator)) {
    return `${JSON.stringify(operator ?? null)} is not a valid label selector operator`;
  }
  const list = values === undefined || values === null ? [] : values;
  if (!Array.isArray(list)) return "values must be a list";
  if ((operator === "In" || operator === "NotIn") && list.length === 0) {
    return "for 'In', 'NotIn' operators, values set can't be empty";
  }
  if ((operator === "Exists" || operator === "DoesNotExist") && list.length > 0) {
    return "values set must be empty for 'Exists' and 'DoesNotExist'";
  }
  for (const value of list) {
    const error = labelValueError(value);
    if (error) return error;
  }
  return undefined;
}

export type SelectorResult = { ok: true; matches: (labels: Record<string, string>) => boolean } | { ok: false; error: string };

/** The shape of a Kubernetes label selector, every field optional (it comes from users). */
export interface LabelSelectorShape {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/**
 * A label selector as a predicate (matchLabels and matchExpressions), or the first reason it
 * cannot be one. The one selector of Gatehouse: Listener allowedRoutes.namespaces uses it.
 */
export function compileSelector(selector: LabelSelectorShape): SelectorResult {
  const exprs = list(selector.matchExpressions);
  for (const e of exprs) {
    const op = e.operator;
    if (!e.key) return { ok: false, error: "matchExpressions entry has no key" };
    if (op === "In" || op === "NotIn") {
      if (list(e.values).length === 0) return { ok: false, error: `operator ${op} needs values` };
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (list(e.values).length > 0) return { ok: false, error: `operator ${op} takes no values` };
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
        const values = list(e.values);
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

function list<T>(v: T[] | undefined | null): T[] {
  return Array.isArray(v) ? v : [];
}
