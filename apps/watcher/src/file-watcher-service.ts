// The watcher in file mode: a folder of YAML in, `resources` and `endpoints` out, and the
// statuses of `status` (and the Ingress statuses of `ingress-status`) written back to a file. EndpointSlices have their own write queue
// so that endpoint churn never delays a route change. On start it publishes the folder,
// then withdraws whatever the buckets still hold from an earlier run that the folder no
// longer defines (the watcher is the only writer of both buckets).
import path from "node:path";
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { bucketOf, formatSkippedKind, objectRef, type KubeObject } from "@gatehouse/kube";
import { encodeKey, ensureBus, watchBucket, type BucketWatch } from "@gatehouse/bus";
import { fileErrorEvent, fileErrorEventName, EVENT_NAMESPACE } from "./file/file-error-event";
import { FileProvider, type BatchResult, type FileEvent } from "./file/file-provider";
import { FolderWatcher } from "./file/folder-watcher";
import { BusPublisher } from "./publish/bus-publisher";
import { renderStatusFile, writeFileAtomic, type StatusEntry } from "./status/status-file";
import { watcherMetrics } from "./watcher-metrics";

export interface FileWatcherOptions {
  nc: NatsConnection;
  dir: string;
  logger: Logger;
  /** Where statuses are written; undefined: not written. */
  statusFile?: string;
  batchMs?: number;
  rescanMs?: number;
  /** Keys written concurrently per bucket. */
  publishConcurrency?: number;
}

export class FileWatcherService {
  readonly name = "watcher";
  private readonly provider = new FileProvider();
  private folder: FolderWatcher | undefined;
  private bus!: BusPublisher;
  private statusWatches: BucketWatch[] = [];
  /** By bucket and key: both status buckets go to the one file. */
  private readonly statuses = new Map<string, StatusEntry & { key: string }>();
  /** apiVersion of each published object, by bus key: the status file names it so it applies back. */
  private readonly apiVersions = new Map<string, string>();
  private statusTimer: NodeJS.Timeout | undefined;
  private started = false;
  private readonly log: Logger;
  private readonly metrics = watcherMetrics();

  constructor(private readonly opts: FileWatcherOptions) {
    this.log = opts.logger.child({ component: "file-watcher" });
  }

  /** True once the folder was published and stale keys withdrawn. */
  get ready(): boolean {
    return this.started;
  }

  async start(): Promise<void> {
    const { nc } = this.opts;
    await ensureBus(nc);
    this.bus = await BusPublisher.open(nc, this.log, this.opts.publishConcurrency);

    this.folder = new FolderWatcher({
      dir: this.opts.dir,
      batchMs: this.opts.batchMs ?? 20,
      rescanMs: this.opts.rescanMs ?? 2_000,
      onBatch: (events) => this.onFiles(events),
      onError: (err) => this.log.error({ err }, "folder watch error"),
    });
    await this.folder.start();
    await this.bus.flushed();
    await this.withdrawStale();
    this.log.info({ dir: this.opts.dir, objects: this.provider.objectCount() }, "folder published");

    if (this.opts.statusFile) {
      for (const bucket of ["status", "ingress-status"] as const) {
        const watch = await watchBucket(
          nc,
          bucket,
          {
            onValue: (key, record) => {
              const { group, ...ref } = record.ref;
              // The served version is known once the object is published; the group's v1 until then.
              this.statuses.set(`${bucket}/${key}`, { ...ref, key, apiVersion: group ? `${group}/v1` : "v1", observedGeneration: record.observedGeneration, status: record.status });
              this.scheduleStatusWrite();
            },
            onDelete: (key) => {
              this.statuses.delete(`${bucket}/${key}`);
              this.scheduleStatusWrite();
            },
            onReplayDone: () => this.scheduleStatusWrite(),
          },
          { logger: this.log },
        );
        this.statusWatches.push(watch);
      }
    }
    this.started = true;
  }

  async close(): Promise<void> {
    await this.folder?.close();
    await Promise.all(this.statusWatches.map((w) => w.stop()));
    clearTimeout(this.statusTimer);
    if (this.opts.statusFile && this.statusTimer) this.writeStatusFile();
    await this.bus?.flushed();
  }

  /** Resolves when every change seen so far is stored in the buckets. */
  async flushed(): Promise<void> {
    await this.bus.flushed();
  }

  private onFiles(events: FileEvent[]): void {
    const result = this.provider.apply(events);
    this.publish(result);
    this.metrics.objects.set(this.provider.objectCount());
    this.metrics.fileErrors.set(this.provider.fileErrors().length);
  }

  private publish(result: BatchResult): void {
    const now = new Date();
    for (const e of result.newErrors) {
      this.log.error({ file: e.path, error: e.message }, "manifest file does not parse; keeping its previous objects");
      const event = fileErrorEvent(e.path, e.message, now);
      this.bus.put(objectRef(event), event, "gatehouse-watcher");
    }
    for (const note of result.newSkippedKinds) {
      this.log.info({ kind: note.kind, apiVersion: note.apiVersion, files: note.sources }, formatSkippedKind(note));
    }
    for (const path of result.clearedErrors) {
      this.log.info({ file: path }, "manifest file parses again");
      this.bus.delete({ kind: "Event", namespace: EVENT_NAMESPACE, name: fileErrorEventName(path) });
    }
    for (const c of result.changes) {
      this.metrics.changes.inc({ bucket: bucketOf(c.ref.kind), op: c.op });
      const key = encodeKey(c.ref);
      if (c.op === "delete") {
        this.apiVersions.delete(key);
        this.bus.delete(c.ref);
      } else {
        if (c.object.apiVersion) this.apiVersions.set(key, c.object.apiVersion);
        this.bus.put(c.ref, c.object, `file:${path.join(this.opts.dir, c.file)}`);
      }
    }
    this.metrics.queueDepth.set({ bucket: "resources" }, this.bus.resources.depth);
    this.metrics.queueDepth.set({ bucket: "endpoints" }, this.bus.endpoints.depth);
  }

  /** Deletes keys an earlier run published that the folder no longer defines. */
  private async withdrawStale(): Promise<void> {
    const wanted = new Set<string>();
    for (const { object } of this.providerObjects()) wanted.add(encodeKey(objectRef(object)));
    for (const e of this.provider.fileErrors()) {
      wanted.add(encodeKey({ kind: "Event", namespace: EVENT_NAMESPACE, name: fileErrorEventName(e.path) }));
    }
    const withdrawn = await this.bus.withdrawStale((key) => wanted.has(key));
    if (withdrawn > 0) this.log.info({ withdrawn }, "withdrew objects the folder no longer defines");
  }

  private providerObjects(): { object: KubeObject }[] {
    return this.provider.objects();
  }

  private scheduleStatusWrite(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.writeStatusFile();
    }, 100);
  }

  private writeStatusFile(): void {
    if (!this.opts.statusFile) return;
    try {
      const entries = [...this.statuses.values()].map(({ key, ...e }) => ({ ...e, apiVersion: this.apiVersions.get(key) ?? e.apiVersion }));
      writeFileAtomic(this.opts.statusFile, renderStatusFile(entries));
    } catch (err) {
      this.log.error({ err, file: this.opts.statusFile }, "could not write the status file");
    }
  }
}
