// Bounded status lists. A Route's status.parents holds at most 32 entries and a policy's
// status.ancestors at most 16 (CRD maxItems, counting every controller's entries). When ours
// do not fit beside the entries other controllers own, we keep the entries that matter most
// (negative ones first, so a problem is never the one hidden), in a stable order, and mark the
// last one kept with an Aggregated condition naming the ones left out (Envoy Gateway's
// convention, so tools reading either controller see the same thing).
import type { Condition, ParentReference } from "./kube-types";

export const MAX_ROUTE_PARENTS = 32;
export const MAX_POLICY_ANCESTORS = 16;

/** Condition type and reason on the last entry kept when some were left out. */
const AGGREGATED = "Aggregated";

/** Messages are bounded by the CRD (32768); names beyond this are summarised by a count. */
const MAX_MESSAGE = 4096;

export interface BoundedEntry {
  conditions: Condition[];
}

interface TruncateOptions<T extends BoundedEntry> {
  /** Entries other controllers own, which we keep as they are (they take room first). */
  foreign: number;
  max: number;
  /** Lower ranks are kept first (ranks read conditions only). */
  rank(entry: BoundedEntry): number;
  /** Order among entries of equal rank; must be total so output never depends on input order. */
  compare(a: T, b: T): number;
  /** How an entry is named in the Aggregated message. */
  name(entry: T): string;
  /** What was truncated, for the message: "route parents" or "policy ancestors". */
  what: string;
  generation?: number;
}

/**
 * Our entries as they fit beside `foreign` other-controller entries within `max`: unchanged
 * when they fit; otherwise sorted by rank then `compare`, cut to the room left, the last one
 * kept carrying Aggregated=True. No room at all leaves none of ours.
 */
export function truncateStatusEntries<T extends BoundedEntry>(ours: readonly T[], opts: NoInfer<TruncateOptions<T>>): T[] {
  const room = Math.max(0, opts.max - opts.foreign);
  if (ours.length <= room) return [...ours];
  if (room === 0) return [];
  const sorted = [...ours].sort((a, b) => opts.rank(a) - opts.rank(b) || opts.compare(a, b));
  const kept = sorted.slice(0, room);
  const dropped = sorted.slice(room).map(opts.name);
  const last = kept[room - 1]!;
  const condition: Condition = {
    type: AGGREGATED,
    status: "True",
    reason: AGGREGATED,
    message: aggregatedMessage(opts.what, opts.max, dropped),
  };
  if (opts.generation !== undefined) condition.observedGeneration = opts.generation;
  kept[room - 1] = { ...last, conditions: [...last.conditions.filter((c) => c.type !== AGGREGATED), condition] };
  return kept;
}

function aggregatedMessage(what: string, max: number, dropped: string[]): string {
  const head = `The number of ${what} exceeds ${max}; ${dropped.length} more are aggregated here: `;
  let names = "";
  let shown = 0;
  for (const n of dropped) {
    const next = names ? `${names}, ${n}` : n;
    if (head.length + next.length > MAX_MESSAGE) break;
    names = next;
    shown++;
  }
  return shown < dropped.length ? `${head}${names} and ${dropped.length - shown} others` : `${head}${names}`;
}

const isFalse = (conditions: Condition[], type: string) => conditions.some((c) => c.type === type && c.status === "False");

/** Route parents: not accepted first, then unresolved references, then the rest. */
export function routeParentRank(entry: BoundedEntry): number {
  if (isFalse(entry.conditions, "Accepted")) return 0;
  if (isFalse(entry.conditions, "ResolvedRefs")) return 1;
  return 2;
}

/** Policy ancestors: not accepted (conflicted, invalid) first, then the rest. */
export function policyAncestorRank(entry: BoundedEntry): number {
  return isFalse(entry.conditions, "Accepted") ? 0 : 1;
}

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A total order on references: namespace, name, sectionName, port, kind, group. `namespace`
 * is the namespace to assume when a reference leaves it out (the route's own).
 */
function compareRefs(a: ParentReference, b: ParentReference, namespace = ""): number {
  return (
    cmp(a.namespace || namespace, b.namespace || namespace) ||
    cmp(str(a.name), str(b.name)) ||
    cmp(str(a.sectionName), str(b.sectionName)) ||
    (a.port ?? 0) - (b.port ?? 0) ||
    cmp(str(a.kind), str(b.kind)) ||
    cmp(str(a.group), str(b.group))
  );
}

/** "namespace/name[/sectionName][:port]" for messages. */
function refName(ref: ParentReference, namespace = ""): string {
  const base = `${ref.namespace || namespace}/${ref.name ?? ""}`;
  return `${base}${ref.sectionName ? `/${ref.sectionName}` : ""}${ref.port !== undefined ? `:${ref.port}` : ""}`;
}

type StatusList = "parents" | "ancestors";

export interface BoundStatusOptions {
  controllerName: string;
  /** The object's namespace: a parentRef without one means this one. */
  namespace: string;
  generation?: number;
  /** Entries other controllers hold on the live object but that `status` may not carry (at least those in `status` count). */
  foreign?: number;
}

/**
 * A route's or policy's status with our `parents`/`ancestors` entries bounded beside the other
 * controllers' (which are kept as they are, after ours). Idempotent, so statuses merged from
 * several translations can be bounded again as a whole: a list beyond capacity drops the
 * Aggregated markers of earlier boundings and is bounded afresh. A status without either list
 * is returned unchanged.
 */
export function boundStatusLists(status: Record<string, unknown>, opts: BoundStatusOptions): Record<string, unknown> {
  const field: StatusList | undefined = Array.isArray(status.parents) ? "parents" : Array.isArray(status.ancestors) ? "ancestors" : undefined;
  if (!field) return status;
  type Entry = BoundedEntry & { controllerName?: string; parentRef?: ParentReference; ancestorRef?: ParentReference };
  const all = status[field] as Entry[];
  const mine = (e: Entry) => e && typeof e === "object" && e.controllerName === opts.controllerName && Array.isArray(e.conditions);
  const foreign = all.filter((e) => !mine(e));
  const foreignCount = Math.max(foreign.length, opts.foreign ?? 0);
  const max = field === "parents" ? MAX_ROUTE_PARENTS : MAX_POLICY_ANCESTORS;
  const room = Math.max(0, max - foreignCount);
  let ours = all.filter(mine);
  // A list exactly at capacity may be one bounded before (its marker is still true): leave it.
  // With spare room nothing is hidden any more; beyond capacity it is bounded afresh.
  if (ours.length === room) return { ...status, [field]: [...ours, ...foreign] };
  ours = ours.map((e) => (e.conditions.some((c) => c.type === AGGREGATED) ? { ...e, conditions: e.conditions.filter((c) => c.type !== AGGREGATED) } : e));
  const refOf = (e: Entry): ParentReference => (field === "parents" ? e.parentRef : e.ancestorRef) ?? {};
  const kept = truncateStatusEntries(ours, {
    foreign: foreignCount,
    max,
    rank: field === "parents" ? routeParentRank : policyAncestorRank,
    compare: (a, b) => compareRefs(refOf(a), refOf(b), opts.namespace),
    name: (e) => refName(refOf(e), opts.namespace),
    what: field === "parents" ? "route parents" : "policy ancestors",
    generation: opts.generation,
  });
  return { ...status, [field]: [...kept, ...foreign] };
}
