// Gateway API limits on routes: 8 matches a rule, 16 rules a route, 16 hostnames a route.
// Rules that differ only in their matches are merged first (fewer rules, same behaviour),
// then what is over a limit is split, never cut.
export const MAX_MATCHES = 8;
export const MAX_RULES = 16;
export const MAX_HOSTNAMES = 16;

export interface RuleLike {
  matches?: unknown[];
  [field: string]: unknown;
}

/** Merges rules whose fields other than matches are equal, then splits match lists over MAX_MATCHES. */
export function mergeRules<R extends RuleLike>(rules: R[]): R[] {
  const merged: R[] = [];
  const byRest = new Map<string, R>();
  for (const rule of rules) {
    const { matches, ...rest } = rule;
    // A rule without matches matches everything: merging it would narrow it.
    if (!matches || matches.length === 0) {
      merged.push(rule);
      continue;
    }
    const key = JSON.stringify(rest);
    const into = byRest.get(key);
    if (into) into.matches!.push(...matches);
    else {
      const copy = { ...rule, matches: [...matches] };
      byRest.set(key, copy);
      merged.push(copy);
    }
  }
  return merged.flatMap((rule) => {
    const m = rule.matches;
    if (!m || m.length <= MAX_MATCHES) return [rule];
    const parts: R[] = [];
    for (let i = 0; i < m.length; i += MAX_MATCHES) parts.push({ ...rule, matches: m.slice(i, i + MAX_MATCHES) });
    return parts;
  });
}

export function chunk<T>(items: T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
