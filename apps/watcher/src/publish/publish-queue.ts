// A write queue for one bucket. Writes are coalesced to the latest value per key while
// they wait and sent in rounds: every key of a round is written concurrently (distinct
// keys, so their order does not matter), and a round starts only when the previous one
// is acknowledged, so a key's writes never overtake each other. The watcher has one queue
// per bucket so that a flood of EndpointSlice writes never delays route changes.

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
  private pending = new Map<string, Op<V>>();
  private draining: Promise<void> | undefined;
  private published = 0;

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
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private enqueue(key: string, op: Op<V>): void {
    this.pending.set(key, op);
    if (!this.draining) this.draining = this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const round = [...this.pending].slice(0, this.opts.concurrency);
      for (const [key] of round) this.pending.delete(key);
      await Promise.all(round.map(([key, op]) => this.write(key, op)));
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
