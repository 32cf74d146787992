// Retrying writes across a NATS outage. A writer that loses the server for a moment (a
// restart, a leader change) should carry on where it was, not fail its caller: the write
// is retried with backoff while the failure looks transient. Repeating a write whose
// acknowledgement was lost is harmless on a latest-value bucket.
import { NatsError } from "nats";
import { Backoff, type BackoffPolicy } from "@gatehouse/runtime";
import type { BusLogger } from "./logger";

/**
 * The bus's retry policies (libs/runtime's Backoff does the waiting): a write retries fast
 * (a leader change takes milliseconds), connecting and resuming a consumer back off further
 * (the server may be restarting).
 */
export const WRITE_BACKOFF: BackoffPolicy = { initialMs: 25, maxMs: 1000 };
export const CONNECT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 2000 };
export const RESUME_BACKOFF: BackoffPolicy = { initialMs: 50, maxMs: 2000 };

const TRANSIENT_CODES = new Set(["TIMEOUT", "503", "408", "DISCONNECT", "CONNECTION_REFUSED", "CONNECTION_TIMEOUT", "REQUEST_ERROR"]);

export function isTransientNatsError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof NatsError && TRANSIENT_CODES.has(err.code)) return true;
  return /temporarily unavailable|no responders|timeout|leader/i.test(err.message);
}

export interface RetryOptions {
  /** Give up (rethrow the last error) after this long; 0 disables retries. */
  retryForMs: number;
  logger?: BusLogger;
  /** For logs: what is being retried. */
  what: string;
  /** Stop retrying when this returns true (the connection was closed on purpose). */
  abandoned?: () => boolean;
}

export async function retryTransient<T>(op: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const deadline = Date.now() + opts.retryForMs;
  const backoff = new Backoff(WRITE_BACKOFF);
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!isTransientNatsError(err) || Date.now() + backoff.peek() > deadline || opts.abandoned?.()) throw err;
      if (attempt === 1 || attempt % 10 === 0) {
        opts.logger?.warn({ what: opts.what, attempt, error: (err as Error).message }, "NATS request failed; retrying");
      }
      await backoff.wait();
    }
  }
}
