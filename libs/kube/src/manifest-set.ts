// Many manifest files to one set of objects, with the one rule for an object defined more
// than once: the LAST definition wins in reading order (top to bottom within a file, files
// in path order), as `kubectl apply -f DIR` would leave it. The file provider resolves its
// per-file index with lastDefinition(); `translate` and the e2e reference use
// collectManifests(). Skipped kinds are folded into one note per kind.
import { objectRef, refId, type KubeObject } from "./kube-object";
import { parseManifest, type ManifestError, type SkippedObject } from "./manifest-parser";

/** One note per kind Gatehouse does not handle: how many objects of it were left out, and where. */
export interface SkippedKind {
  apiVersion: string;
  kind: string;
  count: number;
  sources: string[];
}

/** An object defined more than once; `winner` is the source whose definition is used. */
export interface Duplicate {
  id: string;
  sources: string[];
  winner: string;
}

export interface ManifestSet {
  /** Every object once, in reading order of its winning definition. */
  objects: KubeObject[];
  errors: ManifestError[];
  skipped: SkippedKind[];
  duplicates: Duplicate[];
  /** Sources that hold no document at all. */
  empty: string[];
}

/** The path whose definition wins among the files defining one object (paths in any order). */
export function lastDefinition(paths: Iterable<string>): string | undefined {
  let last: string | undefined;
  for (const p of paths) if (last === undefined || p > last) last = p;
  return last;
}

/** Parses the inputs (in reading order) and resolves them to one object per id. */
export function collectManifests(inputs: readonly { source: string; text: string }[]): ManifestSet {
  const byId = new Map<string, { object: KubeObject; source: string }>();
  const sourcesById = new Map<string, string[]>();
  const errors: ManifestError[] = [];
  const skipped: SkippedObject[] = [];
  const empty: string[] = [];
  for (const { source, text } of inputs) {
    const parsed = parseManifest(text, source);
    if (!parsed.ok) {
      errors.push(parsed.error);
      continue;
    }
    if (parsed.empty) empty.push(source);
    skipped.push(...parsed.skipped);
    for (const object of parsed.objects) {
      const id = refId(objectRef(object));
      byId.delete(id); // re-inserted last, so the output follows the winning definition's position
      byId.set(id, { object, source });
      const seen = sourcesById.get(id);
      if (seen) seen.push(source);
      else sourcesById.set(id, [source]);
    }
  }
  const duplicates: Duplicate[] = [];
  for (const [id, sources] of sourcesById) {
    if (sources.length > 1) duplicates.push({ id, sources, winner: byId.get(id)!.source });
  }
  return { objects: [...byId.values()].map((e) => e.object), errors, skipped: skippedKinds(skipped), duplicates, empty };
}

/** One note per apiVersion and kind, in order of first appearance. */
export function skippedKinds(objects: readonly SkippedObject[]): SkippedKind[] {
  const byKind = new Map<string, SkippedKind>();
  for (const o of objects) {
    const key = `${o.apiVersion} ${o.kind}`;
    const note = byKind.get(key) ?? { apiVersion: o.apiVersion, kind: o.kind, count: 0, sources: [] };
    note.count++;
    if (!note.sources.includes(o.source)) note.sources.push(o.source);
    byKind.set(key, note);
  }
  return [...byKind.values()];
}

/** The one line a command prints for a skipped kind. */
export function formatSkippedKind(note: SkippedKind): string {
  const what = note.count === 1 ? "1 object" : `${note.count} objects`;
  return `skipped ${what} of kind ${note.kind} (${note.apiVersion}): not a kind Gatehouse handles`;
}

/** The one line a command prints for an object defined more than once. */
export function formatDuplicate(d: Duplicate): string {
  return `${d.id} is defined ${d.sources.length} times (${[...new Set(d.sources)].join(", ")}); the last definition, in ${d.winner}, is used`;
}

