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
