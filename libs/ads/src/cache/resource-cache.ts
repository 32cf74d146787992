// The xDS resource cache: per group (the Gateway key that Envoys present as node.cluster),
// per type URL, the current resources by name. It knows nothing of streams: writers replace
// a type's full set (from the IR) or apply upserts and removals (the endpoint fast path), and
// watchers of a group hear which names changed, so each stream sends only what it must.
import { compareTypeUrls, setVersion, type CacheChange, type XdsResource } from "./xds-resource";

export type CacheListener = (changes: readonly CacheChange[]) => void;

interface TypeEntry {
  readonly resources: Map<string, XdsResource>;
  version?: string;
}

interface GroupEntry {
  readonly types: Map<string, TypeEntry>;
}

const EMPTY: ReadonlyMap<string, XdsResource> = new Map();

export class ResourceCache {
  private readonly groups = new Map<string, GroupEntry>();
  private readonly watchers = new Map<string, Set<CacheListener>>();
  private readonly allWatchers = new Set<CacheListener>();

  /** Replaces the full set of one type in a group. Returns what changed. */
  setGroupResources(group: string, typeUrl: string, resources: readonly XdsResource[]): CacheChange {
    return this.setGroupSnapshot(group, { [typeUrl]: resources })[0] ?? emptyChange(group, typeUrl);
  }

  /**
   * Replaces the full sets of several types at once (a whole Gateway from the IR). Watchers
   * hear one batch, in xDS send order, so a stream sees the new clusters together with the
   * listeners that use them. Types not named are left as they are.
   */
  setGroupSnapshot(group: string, byType: Readonly<Record<string, readonly XdsResource[]>>): CacheChange[] {
    const entry = this.groupEntry(group, true);
    const changes: CacheChange[] = [];
    for (const typeUrl of Object.keys(byType).sort(compareTypeUrls)) {
      const type = typeEntry(entry, typeUrl);
      const next = new Map<string, XdsResource>();
      for (const r of byType[typeUrl]) {
        checkResource(r, typeUrl);
        next.set(r.name, r);
      }
      const upserted: string[] = [];
      const removed: string[] = [];
      for (const [name, r] of next) {
        const old = type.resources.get(name);
        if (!old || old.version !== r.version) upserted.push(name);
      }
      for (const name of type.resources.keys()) if (!next.has(name)) removed.push(name);
      // Keep the old objects for unchanged resources so that memoized facts stay valid.
      for (const name of next.keys()) {
        const old = type.resources.get(name);
        if (old && old.version === next.get(name)!.version) next.set(name, old);
      }
      type.resources.clear();
      for (const [name, r] of next) type.resources.set(name, r);
      if (upserted.length || removed.length) {
        type.version = undefined;
        changes.push({ group, typeUrl, upserted, removed });
      }
    }
    this.notify(group, changes);
    return changes;
  }

  /**
   * Applies upserts and removals to one type (incremental EDS). Upserts with an unchanged
   * version and removals of absent names are no-ops and are not announced.
   */
  updateResources(
    group: string,
    typeUrl: string,
    upserts: readonly XdsResource[],
    removals: readonly string[] = [],
  ): CacheChange {
    const type = typeEntry(this.groupEntry(group, true), typeUrl);
    const upserted: string[] = [];
    const removed: string[] = [];
    for (const r of upserts) {
      checkResource(r, typeUrl);
      const old = type.resources.get(r.name);
      if (old && old.version === r.version) continue;
      type.resources.set(r.name, r);
      upserted.push(r.name);
    }
    for (const name of removals) {
      if (type.resources.delete(name)) removed.push(name);
    }
    const change = { group, typeUrl, upserted, removed };
    if (upserted.length || removed.length) {
      type.version = undefined;
      this.notify(group, [change]);
    }
    return change;
  }

  /** Forgets a group (its Gateway was deleted). Watchers hear every resource removed. */
  removeGroup(group: string): CacheChange[] {
    const entry = this.groups.get(group);
    if (!entry) return [];
    const changes: CacheChange[] = [];
    for (const typeUrl of [...entry.types.keys()].sort(compareTypeUrls)) {
      const names = [...entry.types.get(typeUrl)!.resources.keys()];
      if (names.length) changes.push({ group, typeUrl, upserted: [], removed: names });
    }
    this.groups.delete(group);
    this.notify(group, changes);
    return changes;
  }

  /** True once anything was set for the group (even an empty set). */
  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  /** True once a set of this type was given for the group (even an empty one). */
  hasType(group: string, typeUrl: string): boolean {
    return this.groups.get(group)?.types.has(typeUrl) ?? false;
  }

  groupNames(): string[] {
    return [...this.groups.keys()].sort();
  }

  typeUrls(group: string): string[] {
    return [...(this.groups.get(group)?.types.keys() ?? [])].sort(compareTypeUrls);
  }

  get(group: string, typeUrl: string, name: string): XdsResource | undefined {
    return this.groups.get(group)?.types.get(typeUrl)?.resources.get(name);
  }

  /** The live map of a type's resources; callers must not change it. */
  resources(group: string, typeUrl: string): ReadonlyMap<string, XdsResource> {
    return this.groups.get(group)?.types.get(typeUrl)?.resources ?? EMPTY;
  }

  /** A version of the whole set of a type in a group (stable across restarts). */
  typeVersion(group: string, typeUrl: string): string {
    const type = this.groups.get(group)?.types.get(typeUrl);
    if (!type) return "";
    type.version ??= setVersion([...type.resources.values()].map((r) => [r.name, r.version] as const));
    return type.version;
  }

  /** Listens to the changes of one group. Returns the function that stops listening. */
  watch(group: string, listener: CacheListener): () => void {
    let set = this.watchers.get(group);
    if (!set) this.watchers.set(group, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.watchers.get(group) === set) this.watchers.delete(group);
    };
  }

  /** Listens to the changes of every group. */
  watchAll(listener: CacheListener): () => void {
    this.allWatchers.add(listener);
    return () => this.allWatchers.delete(listener);
  }

  private groupEntry(group: string, create: true): GroupEntry {
    let entry = this.groups.get(group);
    if (!entry && create) this.groups.set(group, (entry = { types: new Map() }));
    return entry!;
  }

  private notify(group: string, changes: CacheChange[]): void {
    if (changes.length === 0) return;
    for (const l of [...(this.watchers.get(group) ?? [])]) l(changes);
    for (const l of [...this.allWatchers]) l(changes);
  }
}

function typeEntry(group: GroupEntry, typeUrl: string): TypeEntry {
  let entry = group.types.get(typeUrl);
  if (!entry) group.types.set(typeUrl, (entry = { resources: new Map() }));
  return entry;
}

function checkResource(r: XdsResource, typeUrl: string): void {
  // A resource filed under the wrong type is a bug in the caller, not user input.
  if (r.typeUrl !== typeUrl) throw new Error(`resource ${r.name} has type ${r.typeUrl}, expected ${typeUrl}`);
  if (!r.name) throw new Error(`resource of type ${typeUrl} has no name`);
}

function emptyChange(group: string, typeUrl: string): CacheChange {
  return { group, typeUrl, upserted: [], removed: [] };
}
