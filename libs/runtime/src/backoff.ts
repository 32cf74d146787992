// Exponential backoff for every retry loop of Gatehouse (bus writes, first connect, resuming
// consumers, Kubernetes list/watch): one helper, so a loop states only its policy. Each
// failure doubles the wait up to a cap, a success resets it, an optional jitter keeps
// replicas from retrying in step, and the wait is abortable so a stopping service never
// sleeps through its shutdown.

export interface BackoffPolicy {
  /** First wait after a failure. */
  initialMs: number;
  /** Longest wait. */
  maxMs: number;
  /** Fraction of each wait that is randomised (0..1); 0 (the default) gives exact waits. */
  jitter?: number;
}

/** The same shape under the name the Kubernetes client uses. */
export type BackoffOptions = BackoffPolicy;

export class Backoff {
  private failures = 0;

  constructor(private readonly policy: BackoffPolicy) {}

  /** Consecutive failures since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** The wait next() will hand out before jitter, without counting a failure. */
  peek(): number {
    return Math.min(this.policy.initialMs * 2 ** this.failures, this.policy.maxMs);
  }

  /** The wait for the next failure (and counts it). */
  next(): number {
    const base = this.peek();
    this.failures++;
    const jitter = this.policy.jitter ?? 0;
    return jitter === 0 ? base : Math.round(base * (1 - jitter + Math.random() * jitter));
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
