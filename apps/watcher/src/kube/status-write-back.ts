// Status write-back in Kubernetes mode: follows a status bucket (`status`, or the
// ingress-converter's `ingress-status`) and, while this replica
// is the leader, writes each record to its object's status subresource through StatusWriter
// (GET, merge, compare ignoring lastTransitionTime, PUT only when different). One write at a
// time, latest record per object; a record already written unchanged is not written again
// until leadership is regained, when every status is re-synced. Failed writes are retried
// with backoff. Non-leaders keep the records but never write.
import type { Logger } from "pino";
import { watchBucket, type BucketWatch, type StatusRecord } from "@gatehouse/bus";
import { kindInfo } from "@gatehouse/kube";
import { type StatusWriter, type StatusWriteResult } from "@gatehouse/kube-client";
import { Backoff } from "@gatehouse/runtime";
import type { NatsConnection } from "nats";

export interface StatusWriteBackOptions {
  nc: NatsConnection;
  /** The bucket of records to apply (default `status`). */
  bucket?: "status" | "ingress-status";
  /** Records this write-back applies (default all); others are logged and skipped. */
  accepts?: (record: StatusRecord) => boolean;
  writer: StatusWriter;
  /** Whether this replica may write now (the leader elector's isLeader). */
  isLeader: () => boolean;
  logger: Logger;
}

export class StatusWriteBack {
  private readonly records = new Map<string, StatusRecord>();
  /** JSON of the record last written (or found unchanged) per key. */
  private readonly done = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private watch: BucketWatch | undefined;
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly backoff = new Backoff({ initialMs: 200, maxMs: 10_000, jitter: 0.2 });

  constructor(private readonly opts: StatusWriteBackOptions) {}

  async start(): Promise<void> {
    this.watch = await watchBucket(
      this.opts.nc,
      this.opts.bucket ?? "status",
      {
        onValue: (key, record) => {
          this.records.set(key, record);
          this.markDirty(key);
        },
        onDelete: (key) => {
          this.records.delete(key);
          this.done.delete(key);
          this.dirty.delete(key);
        },
      },
      { logger: this.opts.logger },
    );
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.watch?.stop();
    await this.loop;
  }

  /** Called on gaining leadership: every status is checked against the API server again. */
  resyncAll(): void {
    this.done.clear();
    for (const key of this.records.keys()) this.dirty.add(key);
    this.wake?.();
  }

  private markDirty(key: string): void {
    this.dirty.add(key);
    this.wake?.();
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      const key = this.opts.isLeader() ? this.dirty.values().next().value : undefined;
      if (key === undefined) {
        // Nothing to do (or not leader): wait for a record or a leadership change.
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 500).unref();
        });
        this.wake = undefined;
        continue;
      }
      this.dirty.delete(key);
      const record = this.records.get(key);
      if (!record) continue;
      const fingerprint = JSON.stringify(record);
      if (this.done.get(key) === fingerprint) continue;
      try {
        // An object not found is not marked done: when it is created again, the same record applies.
        if ((await this.write(record)) !== "not-found") this.done.set(key, fingerprint);
        this.backoff.reset();
      } catch (err) {
        this.opts.logger.warn({ err, key }, "status write failed; retrying");
        if (this.records.get(key) === record) this.dirty.add(key);
        await this.backoff.wait(signal);
      }
    }
  }

  private async write(record: StatusRecord): Promise<StatusWriteResult | "skipped"> {
    const { ref } = record;
    const resource = kindInfo(ref.group, ref.kind);
    if (!resource || (this.opts.accepts && !this.opts.accepts(record))) {
      this.opts.logger.debug({ ref }, "status for a kind the watcher does not write; skipped");
      return "skipped";
    }
    const result = await this.opts.writer.write({
      resource,
      namespace: resource.namespaced ? ref.namespace : undefined,
      name: ref.name,
      status: record.status as Record<string, unknown>,
    });
    this.opts.logger.debug({ ref, result, observedGeneration: record.observedGeneration }, "status write-back");
    return result;
  }
}
