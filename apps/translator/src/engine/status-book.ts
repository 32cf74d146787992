// The status of every object, merged from translations of different Gateways. The
// translator retranslates only the Gateways a change affects, so a route attached to two
// Gateways gets its `parents` entries from two separate translations: each translation
// owns the entries of the Gateways it translated (parents[] of routes, ancestors[] of
// policies) and leaves the others alone. Statuses without such entries (Gateway,
// GatewayClass) are replaced whole by the latest translation that produced them.

export interface StatusRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface ObjectStatus {
  ref: StatusRef;
  observedGeneration: number;
  status: Record<string, unknown>;
}

interface Entry {
  ref: StatusRef;
  observedGeneration: number;
  /** Status fields other than parents/ancestors, from the latest translation. */
  base: Record<string, unknown>;
  /** Which list the per-Gateway entries live in. */
  listField?: "parents" | "ancestors";
  byGateway: Map<string, unknown[]>;
}

export function statusId(ref: { kind: string; namespace: string; name: string }): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export class StatusBook {
  private readonly entries = new Map<string, Entry>();
  /** Gateway key -> ids of objects holding entries of that Gateway. */
  private readonly byGateway = new Map<string, Set<string>>();

  /**
   * Records the statuses of one translation of `gateways`; returns the ids of objects whose
   * merged status may have changed.
   */
  record(gateways: Iterable<string>, statuses: ObjectStatus[]): Set<string> {
    const translated = new Set(gateways);
    const touched = new Set<string>();
    const seenWithEntries = new Map<string, Set<string>>(); // id -> gateways it has entries for now
    for (const s of statuses) {
      const id = statusId(s.ref);
      touched.add(id);
      const listField = Array.isArray(s.status.parents) ? "parents" : Array.isArray(s.status.ancestors) ? "ancestors" : undefined;
      const { parents: _p, ancestors: _a, ...base } = s.status;
      let entry = this.entries.get(id);
      if (!entry) this.entries.set(id, (entry = { ref: s.ref, observedGeneration: 0, base: {}, byGateway: new Map() }));
      entry.ref = s.ref;
      entry.observedGeneration = s.observedGeneration;
      entry.base = listField ? base : s.status;
      entry.listField = listField ?? entry.listField;
      if (!listField) continue;
      const grouped = new Map<string, unknown[]>();
      for (const item of s.status[listField] as unknown[]) {
        const gw = parentGateway(item, listField, s.ref.namespace);
        // Entries for Gateways outside this translation are not this translation's to set.
        if (gw === undefined || !translated.has(gw)) continue;
        let list = grouped.get(gw);
        if (!list) grouped.set(gw, (list = []));
        list.push(item);
      }
      // An object may come once per Gateway it is attached to: accumulate.
      let now = seenWithEntries.get(id);
      if (!now) seenWithEntries.set(id, (now = new Set()));
      for (const [gw, items] of grouped) {
        entry.byGateway.set(gw, now.has(gw) ? [...entry.byGateway.get(gw)!, ...items] : items);
        this.index(gw, id);
        now.add(gw);
      }
    }
    // Objects that held entries of a translated Gateway and no longer do lose them.
    for (const gw of translated) {
      for (const id of [...(this.byGateway.get(gw) ?? [])]) {
        if (seenWithEntries.get(id)?.has(gw)) continue;
        this.entries.get(id)?.byGateway.delete(gw);
        this.byGateway.get(gw)?.delete(id);
        touched.add(id);
      }
    }
    return touched;
  }

  /** Forgets an object (it was deleted); its status key should be deleted. */
  remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    for (const gw of entry.byGateway.keys()) this.byGateway.get(gw)?.delete(id);
    this.entries.delete(id);
    return true;
  }

  /**
   * The merged status of an object: per-Gateway entries ordered by `rank` (the position of
   * the Gateway among the object's parentRefs), then by Gateway key.
   */
  get(id: string, rank: (gateway: string) => number = () => 0): ObjectStatus | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const status: Record<string, unknown> = { ...entry.base };
    if (entry.listField) {
      const gws = [...entry.byGateway.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
      status[entry.listField] = gws.flatMap((gw) => entry.byGateway.get(gw)!);
    }
    return { ref: entry.ref, observedGeneration: entry.observedGeneration, status };
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  private index(gw: string, id: string): void {
    let set = this.byGateway.get(gw);
    if (!set) this.byGateway.set(gw, (set = new Set()));
    set.add(id);
  }
}

/** "namespace/name" of the Gateway a parents[]/ancestors[] entry refers to, if it is a Gateway. */
function parentGateway(item: unknown, field: "parents" | "ancestors", objectNamespace: string): string | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const ref = (item as Record<string, unknown>)[field === "parents" ? "parentRef" : "ancestorRef"] as
    | { kind?: string; namespace?: string; name?: string }
    | undefined;
  if (!ref?.name) return undefined;
  if ((ref.kind ?? "Gateway") !== "Gateway") return undefined;
  return `${ref.namespace || objectNamespace}/${ref.name}`;
}
