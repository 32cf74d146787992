// Coalesces a burst of keyed updates to the latest value per key and hands them over as
// one batch after a short quiet period (or a maximum wait, so a steady stream still
// flows). Keys keep the order in which they first arrived in the batch; a key's value is
// always its latest, so nothing is reordered per key. One batch is processed at a time:
// updates that arrive meanwhile form the next batch.

export interface CoalescerOptions {
  /** Quiet time after the last update before the batch is handed over. */
  debounceMs: number;
  /** Upper bound on how long the first update of a batch waits. */
  maxWaitMs: number;
}

export class Coalescer<V> {
  private pending = new Map<string, V>();
  private firstAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly opts: CoalescerOptions,
    private readonly handle: (batch: Map<string, V>) => Promise<void>,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  push(key: string, value: V): void {
    if (this.pending.size === 0) this.firstAt = Date.now();
    this.pending.set(key, value);
    this.schedule();
  }

  /** Hands the pending batch over now (e.g. at the end of the initial replay). */
  flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.kick();
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves once nothing is pending and no batch is being processed. */
  idle(): Promise<void> {
    if (this.pending.size === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.running) return; // the running batch re-schedules when it finishes
    clearTimeout(this.timer);
    const waited = Date.now() - this.firstAt;
    const delay = Math.max(0, Math.min(this.opts.debounceMs, this.opts.maxWaitMs - waited));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, delay);
  }

  private kick(): void {
    if (this.running || this.pending.size === 0) {
      this.notifyIdle();
      return;
    }
    const batch = this.pending;
    this.pending = new Map();
    this.running = this.handle(batch)
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.pending.size > 0) this.schedule();
        else this.notifyIdle();
      });
  }

  private notifyIdle(): void {
    if (this.pending.size > 0 || this.running) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
