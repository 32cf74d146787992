// What the watcher has stored in `resources` and `endpoints`, with the time NATS stored each
// key (the message's own timestamp, so the tracker's lag does not count: it may start after
// the watcher is ready and replay). For the burst phase it also waits for given
// EndpointSlices to reach given resourceVersions (read from the bus codec).
import type { NatsConnection } from "nats";
import { BUCKETS, endpointSliceCodec, watchKv, type BucketWatch } from "@gatehouse/bus";

export type TrackedBucket = "resources" | "endpoints";

const raw = { messageType: "raw", encode: (b: Uint8Array) => b, decode: (b: Uint8Array) => b };

interface Awaited {
  /** Wanted resourceVersion (numeric, the test server's are). */
  rv: number;
  /** When the bus stored a version at least as new (wall-clock ms). */
  storedAt?: number;
}

export class BusTracker {
  /** Key → wall-clock ms NATS stored its latest value. */
  readonly stored: Record<TrackedBucket, Map<string, number>> = { resources: new Map(), endpoints: new Map() };
  private watches: BucketWatch[] = [];
  private readonly awaited = new Map<string, Awaited>();
  private readonly decode = endpointSliceCodec().decode;
  private versionsPending = 0;
  /** The latest value of each EndpointSlice key, for versions awaited after they arrived. */
  private readonly lastSlice = new Map<string, { bytes: Uint8Array; storedAt: number }>();
  /** While waitForKeys runs: "bucket key" of every expected key not stored yet. */
  private missingKeys: Set<string> | undefined;
  private wake: (() => void) | undefined;

  private constructor() {}

  /** Starts following both buckets (they must exist); resolves after the replay of what is there. */
  static async start(nc: NatsConnection): Promise<BusTracker> {
    const t = new BusTracker();
    for (const bucket of ["resources", "endpoints"] as const) {
      const w = await watchKv(nc, BUCKETS[bucket].bucket, raw, {
        onValue: (key, bytes, meta) => t.onValue(bucket, key, bytes, meta.created.getTime()),
        onDelete: (key) => void t.stored[bucket].delete(key),
      }, { deadLetter: false });
      t.watches.push(w);
    }
    await Promise.all(t.watches.map((w) => w.replayed));
    return t;
  }

  /** Resolves once every expected key is stored; rejects after `timeoutMs` naming what is missing. */
  async waitForKeys(expected: Record<TrackedBucket, string[]>, timeoutMs: number): Promise<void> {
    const missing = (this.missingKeys = new Set<string>());
    for (const bucket of ["resources", "endpoints"] as const) for (const k of expected[bucket]) if (!this.stored[bucket].has(k)) missing.add(`${bucket} ${k}`);
    try {
      await this.waitUntil(() => missing.size === 0, timeoutMs, () => `${missing.size} keys never stored, e.g. ${[...missing].slice(0, 5).join(", ")}`);
    } finally {
      this.missingKeys = undefined;
    }
  }

  /** The latest time NATS stored any of these keys (wall-clock ms). */
  lastStoredAt(bucket: TrackedBucket, keys: Iterable<string>): number {
    let last = 0;
    for (const k of keys) last = Math.max(last, this.stored[bucket].get(k) ?? Infinity);
    return last;
  }

  /** Registers EndpointSlice keys to wait for, each until its value carries at least this resourceVersion. */
  expectVersions(versions: Map<string, number>): void {
    this.versionsPending = 0;
    for (const [key, rv] of versions) {
      const a: Awaited = { rv };
      this.awaited.set(key, a);
      this.versionsPending++;
      // Already there (the watcher can be faster than the reply that told us what changed).
      const last = this.lastSlice.get(key);
      if (last) this.check(a, last.bytes, last.storedAt);
    }
  }

  /** Resolves with when each awaited key was stored at its version (wall-clock ms). */
  async waitForVersions(timeoutMs: number): Promise<Map<string, number>> {
    const pending = () => [...this.awaited].filter(([, a]) => a.storedAt === undefined);
    await this.waitUntil(() => this.versionsPending === 0, timeoutMs, () => `${pending().length} EndpointSlice versions never stored, e.g. ${pending().slice(0, 5).map(([k, a]) => `${k}@${a.rv}`).join(", ")}`);
    const out = new Map([...this.awaited].map(([k, a]) => [k, a.storedAt!]));
    this.awaited.clear();
    return out;
  }

  /** Every key stored in a bucket. */
  keys(bucket: TrackedBucket): string[] {
    return [...this.stored[bucket].keys()];
  }

  async stop(): Promise<void> {
    await Promise.all(this.watches.map((w) => w.stop()));
  }

  private onValue(bucket: TrackedBucket, key: string, bytes: Uint8Array, storedAt: number): void {
    this.stored[bucket].set(key, storedAt);
    if (bucket === "endpoints") {
      this.lastSlice.set(key, { bytes, storedAt });
      const a = this.awaited.get(key);
      if (a) this.check(a, bytes, storedAt);
    }
    this.missingKeys?.delete(`${bucket} ${key}`);
    this.wake?.();
  }

  private check(a: Awaited, bytes: Uint8Array, storedAt: number): void {
    if (a.storedAt !== undefined || Number(this.decode(bytes).metadata.resourceVersion) < a.rv) return;
    a.storedAt = storedAt;
    this.versionsPending--;
  }

  private waitUntil(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(() => {
        this.wake = undefined;
        reject(new Error(`not on the bus within ${timeoutMs} ms: ${describe()}`));
      }, timeoutMs);
      this.wake = check;
      check();
    });
  }
}
