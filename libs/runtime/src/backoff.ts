// Exponential backoff for every retry loop of Gatehouse (bus writes, first connect, resuming
// consumers): one helper, so a loop states only its policy (first and longest delay).

export interface BackoffPolicy {
  /** First delay. */
  initialMs: number;
  /** Delays double up to this. */
  maxMs: number;
}

export class Backoff {
  private current: number;

  constructor(private readonly policy: BackoffPolicy) {
    this.current = policy.initialMs;
  }

  /** The delay the next wait() will take. */
  peek(): number {
    return this.current;
  }

  /** The delay to wait now; the one after is twice as long, up to maxMs. */
  next(): number {
    const delay = this.current;
    this.current = Math.min(delay * 2, this.policy.maxMs);
    return delay;
  }

  /** Waits the next delay. */
  wait(): Promise<void> {
    return sleep(this.next());
  }

  reset(): void {
    this.current = this.policy.initialMs;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
