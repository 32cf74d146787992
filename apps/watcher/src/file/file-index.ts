// Which objects each file of the watched folder defines, and what is published for each
// object. Files are applied in batches and only the net difference comes out, so a rename
// (unlink + add inside one batch) publishes nothing, and a changed file publishes only the
// objects whose content changed plus deletes for the ones it no longer holds.
import { canonicalJSON } from "@gatehouse/ir";
import { lastDefinition, objectRef, refId, type KubeObject, type ObjectRef } from "@gatehouse/kube";

/** New content of a file (its parsed objects), or its removal. */
export type FileUpdate = { path: string; objects: KubeObject[] } | { path: string; removed: true };

export type Change =
  | { op: "put"; id: string; ref: ObjectRef; object: KubeObject; hash: string; file: string }
  | { op: "delete"; id: string; ref: ObjectRef };

/** The same object defined more than once; the winner is the last file in path order (libs/kube's rule, as `translate` does). */
export interface Conflict {
  id: string;
  files: string[];
}

interface Entry {
  object: KubeObject;
  hash: string;
  file: string;
}

export class FileIndex {
  private readonly files = new Map<string, Map<string, Entry>>();
  private readonly owners = new Map<string, Set<string>>();

  apply(updates: FileUpdate[]): Change[] {
    const touched = new Set<string>();
    const before = new Map<string, Entry | undefined>();
    const remember = (id: string) => {
      if (!before.has(id)) before.set(id, this.effective(id));
      touched.add(id);
    };
    for (const update of updates) {
      for (const id of this.files.get(update.path)?.keys() ?? []) {
        remember(id);
        this.owners.get(id)?.delete(update.path);
        if (this.owners.get(id)?.size === 0) this.owners.delete(id);
      }
      this.files.delete(update.path);
      if ("removed" in update) continue;
      const entries = new Map<string, Entry>();
      // Within one file the last definition wins, as `kubectl apply` of that file would do.
      for (const object of update.objects) {
        const id = refId(objectRef(object));
        remember(id);
        entries.set(id, { object, hash: canonicalJSON(object), file: update.path });
      }
      this.files.set(update.path, entries);
      for (const id of entries.keys()) {
        let set = this.owners.get(id);
        if (!set) this.owners.set(id, (set = new Set()));
        set.add(update.path);
      }
    }
    const changes: Change[] = [];
    for (const id of [...touched].sort()) {
      const was = before.get(id);
      const now = this.effective(id);
      if (now && (!was || was.hash !== now.hash)) {
        changes.push({ op: "put", id, ref: objectRef(now.object), object: now.object, hash: now.hash, file: now.file });
      } else if (!now && was) {
        changes.push({ op: "delete", id, ref: objectRef(was.object) });
      }
    }
    return changes;
  }

  /** Every object currently published, in id order. */
  objects(): { id: string; object: KubeObject }[] {
    return [...this.owners.keys()].sort().map((id) => ({ id, object: this.effective(id)!.object }));
  }

  /** Paths of the files known to define objects (the ones that last parsed). */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  conflicts(): Conflict[] {
    const out: Conflict[] = [];
    for (const [id, files] of this.owners) if (files.size > 1) out.push({ id, files: [...files].sort() });
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  private effective(id: string): Entry | undefined {
    const files = this.owners.get(id);
    if (!files || files.size === 0) return undefined;
    return this.files.get(lastDefinition(files)!)?.get(id);
  }
}
