// A lease on the bus: one key in the `locks` KV bucket, whose max age is the lease's
// time to live. The holder creates the key (create fails while another live holder's value
// is there) and renews it by compare-and-set on its revision well before the age runs
// out; a holder that dies simply stops renewing and the key expires. Whoever fails to
// renew must stop acting as the holder at once. Used so that only one replica of a
// service (cert-manager's signer) acts at a time.
import type { KV, NatsConnection } from "nats";
import { StorageType } from "nats";

export const LOCKS_BUCKET = "locks";

export interface KvLockOptions {
  /** The lock's key (one per role, e.g. "cert-manager-signer"). */
  readonly name: string;
  /** Who holds it (e.g. the pod name): stored as the value, for operators. */
  readonly holder: string;
  /**
   * Lease time to live. It is the bucket's max age, so every lock in the bucket shares it:
   * whoever creates the bucket sets it.
   */
  readonly ttlMs: number;
}

export class KvLock {
  private revision: number | undefined;

  private constructor(
    private readonly kv: KV,
    readonly opts: KvLockOptions,
  ) {}

  static async open(nc: NatsConnection, opts: KvLockOptions): Promise<KvLock> {
    const kv = await nc.jetstream().views.kv(LOCKS_BUCKET, {
      history: 1,
      ttl: opts.ttlMs,
      storage: StorageType.File,
      description: "Leases: one holder per key; a holder that stops renewing loses it after the bucket's max age",
    });
    return new KvLock(kv, opts);
  }

  get held(): boolean {
    return this.revision !== undefined;
  }

  /**
   * Takes the lock, or renews it when already held. Returns whether we hold it now; false
   * means another holder has it (or took it over after our lease ran out).
   */
  async acquireOrRenew(): Promise<boolean> {
    const value = new TextEncoder().encode(this.opts.holder);
    try {
      this.revision = this.revision === undefined ? await this.kv.create(this.opts.name, value) : await this.kv.update(this.opts.name, value, this.revision);
      return true;
    } catch (err) {
      if (!isWrongRevision(err)) {
        // Lost NATS for a moment: we cannot prove we still hold it, so we do not.
        this.revision = undefined;
        throw err;
      }
      this.revision = undefined;
      return false;
    }
  }

  /** Gives the lock up so another replica can take it at once (no-op when not held). */
  async release(): Promise<void> {
    const revision = this.revision;
    this.revision = undefined;
    if (revision === undefined) return;
    try {
      await this.kv.delete(this.opts.name, { previousSeq: revision });
    } catch {
      // Someone else holds it already, or NATS is away: the lease expires on its own.
    }
  }
}

function isWrongRevision(err: unknown): boolean {
  if ((err as { api_error?: { err_code?: number } } | undefined)?.api_error?.err_code === 10071) return true;
  return err instanceof Error && /wrong last sequence/i.test(err.message);
}
