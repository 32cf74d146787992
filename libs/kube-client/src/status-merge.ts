// What the status writer writes, decided on plain data: our status merged into the live one
// so that route `parents[]` and policy `ancestors[]` entries of other controllers survive in
// place, every condition keeps its lastTransitionTime while its status stays the same (the
// Kubernetes convention; the translator is pure and has no clock), and a comparison that
// ignores lastTransitionTime, so an unchanged status is not written again.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Status lists shared between controllers, each entry owned by the controller it names. */
const SHARED_LISTS = ["parents", "ancestors"] as const;

/** The key that identifies an entry of a status list across writes. */
function entryKey(listName: string, entry: unknown): string | undefined {
  if (!isObj(entry)) return undefined;
  switch (listName) {
    case "parents":
      return JSON.stringify([entry.controllerName, sorted(entry.parentRef)]);
    case "ancestors":
      return JSON.stringify([entry.controllerName, sorted(entry.ancestorRef)]);
    case "conditions":
      return typeof entry.type === "string" ? entry.type : undefined;
    case "listeners":
      return typeof entry.name === "string" ? entry.name : undefined;
    default:
      return undefined;
  }
}

/**
 * The status to write: `ours` with the entries of other controllers from `live` kept where
 * they are, and lastTransitionTime carried over from `live` for conditions whose status did
 * not change (set to `now` for new or changed ones that have none).
 */
export function mergeStatus(live: Obj | undefined, ours: Obj, controllerName: string, now: string): Obj {
  const merged: Obj = { ...ours };
  for (const list of SHARED_LISTS) {
    const liveEntries = Array.isArray(live?.[list]) ? (live![list] as Obj[]) : [];
    if (!Array.isArray(ours[list]) && liveEntries.length === 0) continue;
    const ourEntries = Array.isArray(ours[list]) ? (ours[list] as Obj[]) : [];
    const byKey = new Map(ourEntries.map((e) => [entryKey(list, e), e]));
    const out: Obj[] = [];
    for (const e of liveEntries) {
      if (e.controllerName !== controllerName) out.push(e);
      else {
        const k = entryKey(list, e);
        const mine = byKey.get(k);
        if (mine) {
          out.push(mine);
          byKey.delete(k);
        }
      }
    }
    out.push(...byKey.values());
    merged[list] = out;
  }
  return carryTransitionTimes(merged, live, now, "") as Obj;
}

function carryTransitionTimes(desired: unknown, live: unknown, now: string, name: string): unknown {
  if (Array.isArray(desired)) {
    const liveByKey = new Map<string | undefined, unknown>();
    if (Array.isArray(live)) for (const [i, e] of live.entries()) liveByKey.set(entryKey(name, e) ?? `#${i}`, e);
    return desired.map((e, i) => carryTransitionTimes(e, liveByKey.get(entryKey(name, e) ?? `#${i}`), now, name));
  }
  if (!isObj(desired)) return desired;
  const out: Obj = {};
  for (const [k, v] of Object.entries(desired)) out[k] = carryTransitionTimes(v, isObj(live) ? live[k] : undefined, now, k);
  if (name === "conditions" && typeof desired.type === "string" && "status" in desired) {
    const prev = isObj(live) && live.status === desired.status ? live.lastTransitionTime : undefined;
    out.lastTransitionTime = prev ?? desired.lastTransitionTime ?? now;
  }
  return out;
}

/** Equal as JSON, key order and lastTransitionTime aside. */
export function sameStatus(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a, true)) === JSON.stringify(sorted(b, true));
}

function sorted(v: unknown, dropTransitionTimes = false): unknown {
  if (Array.isArray(v)) return v.map((x) => sorted(x, dropTransitionTimes));
  if (!isObj(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .filter((k) => !(dropTransitionTimes && k === "lastTransitionTime"))
      .sort()
      .map((k) => [k, sorted(v[k], dropTransitionTimes)]),
  );
}
