// Watches a folder of YAML with chokidar and turns its events into batches of file
// contents for FileProvider. Events are gathered for a few milliseconds so that an
// editor's save (truncate + write) or a rename (unlink + add) arrives as one batch.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { isIgnoredPath, listManifestFiles, MANIFEST_FILE } from "@gatehouse/kube";
import type { FileEvent } from "./file-provider";

export interface FolderWatcherOptions {
  dir: string;
  /** Quiet time before a batch of events is read and handed over. */
  batchMs: number;
  onBatch: (events: FileEvent[]) => void;
  onError: (err: unknown) => void;
  /** Use polling (for file systems without inotify). */
  usePolling?: boolean;
  /**
   * Interval of a full rescan (stat of every file) that catches what file-system events
   * missed: chokidar can drop a change that follows a rename or another write within a
   * few milliseconds. 0 disables it.
   */
  rescanMs?: number;
}

export class FolderWatcher {
  private watcher: FSWatcher | undefined;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Size and mtime of each file when it was last read; absent once it is gone. */
  private readonly seen = new Map<string, string>();
  private rescanTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly opts: FolderWatcherOptions) {}

  /** Starts watching; resolves after the initial scan has been handed over as one batch. */
  async start(): Promise<void> {
    const watcher = watch(this.opts.dir, {
      ignoreInitial: false,
      persistent: true,
      usePolling: this.opts.usePolling ?? false,
      interval: 50,
      // Dot files are editor swap files and the like, dot-folders and node_modules tool
      // state: never manifests (the same rule as `translate -f DIR`).
      ignored: (p: string) => isIgnoredPath(this.opts.dir, p),
    });
    this.watcher = watcher;
    const ready = new Promise<void>((resolve, reject) => {
      watcher.once("ready", resolve);
      watcher.once("error", reject);
    });
    const onPath = (p: string) => {
      if (MANIFEST_FILE.test(p)) this.touch(p);
    };
    watcher.on("add", onPath).on("change", onPath).on("unlink", onPath);
    watcher.on("error", (err) => this.opts.onError(err));
    await ready;
    clearTimeout(this.timer);
    this.flush();
    await this.chain;
    if (this.opts.rescanMs) this.scheduleRescan(this.opts.rescanMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.rescanTimer);
    await this.watcher?.close();
    await this.chain;
  }

  private touch(p: string): void {
    this.pending.add(p);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.opts.batchMs);
  }

  /** Reads the pending files in order; batches never overlap, so a later read always wins. */
  private flush(): void {
    const paths = [...this.pending].sort();
    this.pending.clear();
    if (paths.length === 0) return;
    this.chain = this.chain.then(async () => {
      const events = await Promise.all(
        paths.map(async (p) => {
          const before = await fingerprint(p);
          const text = await readOrNull(p);
          if (text === null) this.seen.delete(p);
          else if (before) this.seen.set(p, before);
          return { path: this.relative(p), text };
        }),
      );
      try {
        this.opts.onBatch(events);
      } catch (err) {
        this.opts.onError(err);
      }
    });
  }

  private scheduleRescan(ms: number): void {
    this.rescanTimer = setTimeout(() => {
      this.rescan()
        .catch((err) => this.opts.onError(err))
        .finally(() => {
          if (!this.closed) this.scheduleRescan(ms);
        });
    }, ms);
  }

  private async rescan(): Promise<void> {
    await this.chain;
    const present = new Set(await listManifestFiles(this.opts.dir));
    const stale: string[] = [];
    for (const p of present) if (this.seen.get(p) !== (await fingerprint(p))) stale.push(p);
    for (const p of this.seen.keys()) if (!present.has(p)) stale.push(p);
    if (stale.length === 0 || this.closed) return;
    for (const p of stale) this.pending.add(p);
    this.flush();
  }

  private relative(p: string): string {
    return path.relative(this.opts.dir, p) || path.basename(p);
  }
}

async function readOrNull(p: string): Promise<string | null> {
  try {
    return await readFile(p, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR") return null;
    throw err;
  }
}

async function fingerprint(p: string): Promise<string | undefined> {
  try {
    const st = await stat(p);
    return st.isFile() ? `${st.size}:${st.mtimeMs}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}
