// A write queue for one bucket. Writes are coalesced to the latest value per key while
// they wait. Each key has at most one write in flight, so a key's writes never overtake
// each other; distinct keys are written concurrently (up to `concurrency` at once), and a
// key's next write goes out as soon as its previous one is acknowledged, without waiting
// for other keys' writes (no rounds: one slow acknowledgement holds back only its own key).
// The watcher has one queue per bucket so that a flood of EndpointSlice writes never
// delays route changes.

export interface KeyWriter<V> {
  put(key: string, value: V): Promise<void>;
  delete(key: string): Promise<void>;
}

type Op<V> = { op: "put"; value: V } | { op: "delete" };

export interface PublishQueueOptions {
  /** Most keys written concurrently in one round. */
  concurrency: number;
  /** Called with a failed write; the write is retried after `retryMs`. */
  onError?: (key: string, err: unknown) => void;
  retryMs?: number;
}

export class PublishQueue<V> {
  /** Latest waiting write of each key (insertion order: oldest first). */
  private pending = new Map<string, Op<V>>();
  private readonly inFlight = new Set<string>();
  private published = 0;
  private idle: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    private readonly writer: KeyWriter<V>,
    private readonly opts: PublishQueueOptions,
  ) {}

  put(key: string, value: V): void {
    this.enqueue(key, { op: "put", value });
  }

  delete(key: string): void {
    this.enqueue(key, { op: "delete" });
  }

  /** Writes waiting to be sent (coalesced). */
  get depth(): number {
    return this.pending.size;
  }

  get publishedCount(): number {
    return this.published;
  }

  /** Resolves when every write queued so far has been acknowledged. */
  flushed(): Promise<void> {
    if (this.pending.size === 0 && this.inFlight.size === 0) return Promise.resolve();
    if (!this.idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.idle = { promise, resolve };
    }
    return this.idle.promise;
  }

  private enqueue(key: string, op: Op<V>): void {
    // Re-inserted at the end: a key waits behind the keys that were waiting before it.
    this.pending.delete(key);
    this.pending.set(key, op);
    this.pump();
  }

  /** Starts the oldest waiting writes whose keys have nothing in flight, up to the limit. */
  private pump(): void {
    for (const [key, op] of this.pending) {
      if (this.inFlight.size >= this.opts.concurrency) break;
      if (this.inFlight.has(key)) continue;
      this.pending.delete(key);
      this.inFlight.add(key);
      void this.write(key, op).finally(() => {
        this.inFlight.delete(key);
        this.pump();
      });
    }
    if (this.pending.size === 0 && this.inFlight.size === 0 && this.idle) {
      this.idle.resolve();
      this.idle = undefined;
    }
  }

  private async write(key: string, op: Op<V>): Promise<void> {
    for (;;) {
      try {
        if (op.op === "put") await this.writer.put(key, op.value);
        else await this.writer.delete(key);
        this.published++;
        return;
      } catch (err) {
        this.opts.onError?.(key, err);
        // A newer write for this key supersedes the failed one; it is in `pending`.
        if (this.pending.has(key)) return;
        await new Promise((r) => setTimeout(r, this.opts.retryMs ?? 500));
        if (this.pending.has(key)) return;
      }
    }
  }
}
