// Label and field selectors as the Kubernetes API parses them (`labelSelector=app=web,tier!=db`,
// `env in (a,b)`, `!key`, `fieldSelector=metadata.name=x`). A selector the API server would
// reject is an error (400 BadRequest), not a silently empty match.

export type ObjectMatcher = (obj: Record<string, unknown>) => boolean;

export class SelectorError extends Error {}

type LabelRequirement = (labels: Record<string, string>) => boolean;

/** Parses a label selector; the empty selector matches everything. */
export function parseLabelSelector(selector: string | null | undefined): ObjectMatcher {
  const reqs = splitTopLevel(selector ?? "").map(parseLabelRequirement);
  return (obj) => {
    const labels = ((obj.metadata as Record<string, unknown> | undefined)?.labels ?? {}) as Record<string, string>;
    return reqs.every((r) => r(labels));
  };
}

function parseLabelRequirement(term: string): LabelRequirement {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key, op, list] = set;
    const values = new Set(list.split(",").map((v) => v.trim()));
    return op === "in" ? (l) => key in l && values.has(l[key]) : (l) => !(key in l) || !values.has(l[key]);
  }
  const eq = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s!=]*)$/.exec(term);
  if (eq) {
    const [, key, op, value] = eq;
    checkLabelKey(key);
    if (value !== "" && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value)) {
      throw new SelectorError(`invalid label value ${JSON.stringify(value)}`);
    }
    return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  const notExists = /^!\s*([^\s!=]+)$/.exec(term);
  if (notExists) return (l) => !(notExists[1] in l);
  if (/^[^\s!=(),]+$/.test(term)) {
    checkLabelKey(term);
    return (l) => term in l;
  }
  throw new SelectorError(`unable to parse requirement: ${JSON.stringify(term)}`);
}

function checkLabelKey(key: string): void {
  if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key)) {
    throw new SelectorError(`invalid label key ${JSON.stringify(key)}`);
  }
}

/**
 * Parses a field selector. Every resource supports metadata.name and metadata.namespace (the
 * API server rejects other fields unless the resource declares them; `extraFields` are those).
 */
export function parseFieldSelector(selector: string | null | undefined, extraFields: readonly string[] = []): ObjectMatcher {
  const reqs = splitTopLevel(selector ?? "").map((term) => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid field selector: ${JSON.stringify(term)}`);
    const [, field, op, value] = m;
    if (field !== "metadata.name" && field !== "metadata.namespace" && !extraFields.includes(field)) {
      throw new SelectorError(`field label not supported: ${field}`);
    }
    const path = field.split(".");
    return (obj: Record<string, unknown>) => {
      let v: unknown = obj;
      for (const p of path) v = (v as Record<string, unknown> | undefined)?.[p];
      const actual = v === undefined || v === null ? "" : String(v);
      return op === "!=" ? actual !== value : actual === value;
    };
  });
  return (obj) => reqs.every((r) => r(obj));
}

/** Splits on commas outside parentheses (the `in (a,b)` lists). */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== "");
}
