// The file provider's state machine: file contents in, bus changes and file errors out.
// A file that does not parse keeps the objects it defined when it last parsed (they are
// not withdrawn) and is reported until it parses again or is deleted.
import { FileIndex, type Change, type Conflict, type FileUpdate } from "./file-index";
import { formatManifestError, parseManifest, skippedKinds, type KubeObject, type SkippedKind } from "@gatehouse/kube";

/** A file's new text, or null when it was deleted (or renamed away). */
export interface FileEvent {
  path: string;
  text: string | null;
}

export interface FileError {
  path: string;
  message: string;
}

export interface BatchResult {
  changes: Change[];
  /** Files that failed to parse in this batch (their previous objects stay published). */
  newErrors: FileError[];
  /** Files that were broken and are now fine or gone. */
  clearedErrors: string[];
  /** Kinds Gatehouse does not handle, seen for the first time in this batch (one note per kind; their objects are not published). */
  newSkippedKinds: SkippedKind[];
}

export class FileProvider {
  private readonly index = new FileIndex();
  private readonly errors = new Map<string, string>();
  private readonly skippedSeen = new Set<string>();

  /** Applies a batch of file events; later events for the same path win. */
  apply(events: FileEvent[]): BatchResult {
    const latest = new Map<string, string | null>();
    for (const e of events) latest.set(e.path, e.text);
    const updates: FileUpdate[] = [];
    const newErrors: FileError[] = [];
    const clearedErrors: string[] = [];
    const newSkippedKinds: SkippedKind[] = [];
    for (const [path, text] of latest) {
      if (text === null) {
        if (this.errors.delete(path)) clearedErrors.push(path);
        if (this.index.has(path)) updates.push({ path, removed: true });
        continue;
      }
      const parsed = parseManifest(text, path);
      if (!parsed.ok) {
        const message = formatManifestError(parsed.error);
        if (this.errors.get(path) !== message) newErrors.push({ path, message });
        this.errors.set(path, message);
        continue;
      }
      for (const note of skippedKinds(parsed.skipped)) {
        const key = `${note.apiVersion} ${note.kind}`;
        if (this.skippedSeen.has(key)) continue;
        this.skippedSeen.add(key);
        newSkippedKinds.push(note);
      }
      if (this.errors.delete(path)) clearedErrors.push(path);
      updates.push({ path, objects: parsed.objects });
    }
    return { changes: this.index.apply(updates), newErrors, clearedErrors, newSkippedKinds };
  }

  fileErrors(): FileError[] {
    return [...this.errors].map(([path, message]) => ({ path, message })).sort((a, b) => a.path.localeCompare(b.path));
  }

  conflicts(): Conflict[] {
    return this.index.conflicts();
  }

  /** Files whose objects are published (the ones that parsed at least once and still exist). */
  paths(): string[] {
    return this.index.paths();
  }

  /** Every object currently published, in id order. */
  objects(): { id: string; object: KubeObject }[] {
    return this.index.objects();
  }

  objectCount(): number {
    return this.index.objects().length;
  }
}
