// Exponential backoff with jitter for loops that retry lost infrastructure (a watch that
// broke, a list that failed, an API server that is down): each failure doubles the wait up
// to a cap, a success resets it, and the wait is abortable so a stopping service never
// sleeps through its shutdown.

export interface BackoffOptions {
  /** First wait after a failure. */
  initialMs: number;
  /** Longest wait. */
  maxMs: number;
  /** Fraction of each wait that is randomised (0..1), so replicas do not retry in step. */
  jitter?: number;
}

export class Backoff {
  private failures = 0;

  constructor(private readonly opts: BackoffOptions) {}

  /** Consecutive failures since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** The wait for the next failure (and counts it). */
  next(): number {
    const base = Math.min(this.opts.initialMs * 2 ** this.failures, this.opts.maxMs);
    this.failures++;
    const jitter = this.opts.jitter ?? 0.2;
    return Math.round(base * (1 - jitter + Math.random() * jitter));
  }

  reset(): void {
    this.failures = 0;
  }

  /** Waits for the next backoff period; resolves early (false) when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<boolean> {
    return sleep(this.next(), signal);
  }
}

/** Sleeps `ms`; resolves true when the time is up, false when `signal` aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
