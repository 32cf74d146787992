// Status write-back in Kubernetes mode: follows a status bucket (`status`, or the
// ingress-converter's `ingress-status`) and, while this replica
// is the leader, writes each record to its object's status subresource through StatusWriter
// (GET, merge, compare ignoring lastTransitionTime, PUT only when different). Writes run
// concurrently (up to `concurrency` objects at once) on libs/bus's PublishQueue, which keeps
// per-object order: never two writes to one object at once, and a record that arrives while
// its object's write is in flight waits, replacing any older waiting one (the latest status
// wins). A record already written unchanged is not written again until leadership is
// regained, when every status is re-synced. A failed write is retried with backoff until it
// lands or a newer record replaces it. Non-leaders keep the records but never write.
import type { Logger } from "pino";
import { PublishQueue, watchBucket, type BucketWatch, type StatusRecord } from "@gatehouse/bus";
import { kindInfo } from "@gatehouse/kube";
import { type StatusWriter, type StatusWriteResult } from "@gatehouse/kube-client";
import { Backoff } from "@gatehouse/runtime";
import type { NatsConnection } from "nats";

/** Objects written at once by default: a few round trips in flight, far below what an API server's priority and fairness allows a controller. */
export const DEFAULT_STATUS_WRITE_CONCURRENCY = 8;

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
  /** Objects written at once (default DEFAULT_STATUS_WRITE_CONCURRENCY). */
  concurrency?: number;
}

export class StatusWriteBack {
  private readonly records = new Map<string, StatusRecord>();
  /** JSON of the record last written (or found unchanged) per key. */
  private readonly done = new Map<string, string>();
  /**
   * Keys whose record came (or whose write stopped) while this replica was not leading. A
   * lost lease is followed by resyncAll when it is won back; this also covers a leader whose
   * renewal lagged past the deadline for a moment without stepping down.
   */
  private readonly held = new Set<string>();
  private heldTimer: NodeJS.Timeout | undefined;
  private watch: BucketWatch | undefined;
  private readonly abort = new AbortController();
  private readonly queue: PublishQueue<StatusRecord>;
  /** Shared by all writes: when the API server fails, every object's retry slows down together. */
  private readonly backoff = new Backoff({ initialMs: 200, maxMs: 10_000, jitter: 0.2 });

  constructor(private readonly opts: StatusWriteBackOptions) {
    this.queue = new PublishQueue<StatusRecord>(
      // Deletes never reach the queue: a status deleted from the bucket is left on the object.
      { put: (key, record) => this.writeUntilDone(key, record), delete: async () => undefined },
      { concurrency: opts.concurrency ?? DEFAULT_STATUS_WRITE_CONCURRENCY },
    );
  }

  async start(): Promise<void> {
    this.watch = await watchBucket(
      this.opts.nc,
      this.opts.bucket ?? "status",
      {
        onValue: (key, record) => {
          this.records.set(key, record);
          this.enqueue(key, record);
        },
        onDelete: (key) => {
          this.records.delete(key);
          this.done.delete(key);
        },
      },
      { logger: this.opts.logger },
    );
    this.heldTimer = setInterval(() => this.releaseHeld(), 500);
    this.heldTimer.unref();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.heldTimer);
    await this.watch?.stop();
    // Waiting writes see the abort and return at once; in-flight ones end with their request.
    await this.queue.flushed();
  }

  /** Called on gaining leadership: every status is checked against the API server again. */
  resyncAll(): void {
    this.done.clear();
    this.held.clear();
    for (const [key, record] of this.records) this.enqueue(key, record);
  }

  /** Resolves when no write is waiting or in flight (every record seen so far handled). */
  settled(): Promise<void> {
    return this.queue.flushed();
  }

  private enqueue(key: string, record: StatusRecord): void {
    if (this.abort.signal.aborted) return;
    // Not leading: kept in `records`; resyncAll (or releaseHeld) queues it when leadership comes.
    if (!this.opts.isLeader()) return void this.held.add(key);
    this.queue.put(key, record);
  }

  private releaseHeld(): void {
    if (this.held.size === 0 || !this.opts.isLeader()) return;
    const keys = [...this.held];
    this.held.clear();
    for (const key of keys) {
      const record = this.records.get(key);
      if (record) this.enqueue(key, record);
    }
  }

  /** One record to its object, retried with backoff while it is still the latest and we lead; never throws. */
  private async writeUntilDone(key: string, record: StatusRecord): Promise<void> {
    const signal = this.abort.signal;
    const fingerprint = JSON.stringify(record);
    while (!signal.aborted && this.opts.isLeader() && this.records.get(key) === record) {
      if (this.done.get(key) === fingerprint) return;
      try {
        // An object not found is not marked done: when it is created again, the same record applies.
        if ((await this.write(record)) !== "not-found") this.done.set(key, fingerprint);
        this.backoff.reset();
        return;
      } catch (err) {
        this.opts.logger.warn({ err, key }, "status write failed; retrying");
        await this.backoff.wait(signal);
      }
    }
    if (!signal.aborted && !this.opts.isLeader() && this.records.get(key) === record) this.held.add(key);
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
