// Consumes a bucket the way every service rebuilds its state: first the latest value of
// every key (the replay), then each change in order. Survives NATS reconnects and server
// restarts: after a reconnect it resumes from the revision after the last one it handled,
// so nothing is lost or handled twice or out of order (with history 1, what happened
// while away arrives as the latest value of each changed key, in revision order). A
// value that cannot be decoded is logged with its key, moved to the dead letter, and
// the consumer goes on.
import type { KV, KvEntry, NatsConnection, QueuedIterator } from "nats";
import { ChunkError, isChunkKey, resolveValue } from "./chunked-kv";
import type { Codec } from "./codecs/codec";
import { DecodeError } from "./codecs/codec";
import { publishDeadLetter } from "./dead-letter";
import { bucketCodec, BUCKETS, type BucketName, type BucketValues } from "./declarations";
import { ALL_OBJECT_KEYS } from "./keys";
import { Backoff } from "@gatehouse/runtime";
import { busLogger, type BusLogger } from "./logger";
import { RESUME_BACKOFF } from "./retry";
import { busMetrics } from "./metrics";

export interface EntryMeta {
  /** Revision (stream sequence) of the entry: increases with every write to the bucket. */
  revision: number;
  created: Date;
  /** True while the initial replay runs. */
  replay: boolean;
}

export interface WatchHandlers<T> {
  onValue(key: string, value: T, meta: EntryMeta): void | Promise<void>;
  onDelete?(key: string, meta: EntryMeta): void | Promise<void>;
  /** Called once, after the latest value of every key present at start was handled. */
  onReplayDone?(): void | Promise<void>;
}

export interface WatchOptions {
  /** Keys to watch (NATS wildcards); default every object key `*.*.*`, which leaves out chunk keys. */
  filter?: string | string[];
  logger?: BusLogger;
  /** Publish undecodable values to the dead letter (default true). */
  deadLetter?: boolean;
  /** Longest wait between attempts to resume after an error (default 2 s). */
  maxBackoffMs?: number;
}

export interface BucketWatch {
  /** Resolves once the initial replay was handled (after onReplayDone returned). */
  readonly replayed: Promise<void>;
  readonly replayDone: boolean;
  /** Last revision handled. */
  readonly lastRevision: number;
  /** Stops watching; resolves once no handler runs any more. */
  stop(): Promise<void>;
}

/** Watches one of the declared buckets, decoding with its codec. */
export function watchBucket<B extends BucketName>(
  nc: NatsConnection,
  bucket: B,
  handlers: WatchHandlers<BucketValues[B]>,
  opts: WatchOptions = {},
): Promise<BucketWatch> {
  return watchKv(nc, BUCKETS[bucket].bucket, bucketCodec(bucket), handlers, opts);
}

/** Watches any KV bucket with the given codec. */
export async function watchKv<T>(
  nc: NatsConnection,
  bucket: string,
  codec: Codec<T, never>,
  handlers: WatchHandlers<T>,
  opts: WatchOptions = {},
): Promise<BucketWatch> {
  const kv = await nc.jetstream().views.kv(bucket, { bindOnly: true });
  const watcher = new KvWatcher(nc, kv, bucket, codec, handlers, opts);
  await watcher.start();
  return watcher;
}

class KvWatcher<T> implements BucketWatch {
  readonly replayed: Promise<void>;
  replayDone = false;
  lastRevision = 0;
  private resolveReplayed!: () => void;
  private stopped = false;
  private iter: QueuedIterator<KvEntry> | undefined;
  private loop: Promise<void> = Promise.resolve();
  /** Every handler call runs on this chain, so the replay-done signal keeps its place. */
  private chain: Promise<void> = Promise.resolve();
  private restarting: Promise<void> | undefined;
  private stopStatus: () => void = () => {};
  private readonly log: BusLogger;
  private readonly metrics = busMetrics();

  constructor(
    private readonly nc: NatsConnection,
    private readonly kv: KV,
    private readonly bucket: string,
    private readonly codec: Codec<T, never>,
    private readonly handlers: WatchHandlers<T>,
    private readonly opts: WatchOptions,
  ) {
    this.log = busLogger(opts.logger, "bus-watch").child({ bucket });
    this.replayed = new Promise((resolve) => (this.resolveReplayed = resolve));
  }

  async start(): Promise<void> {
    await this.open();
    void this.followStatus();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopStatus();
    this.iter?.stop();
    await this.loop;
    await this.chain;
  }

  /** Opens an ordered consumer from where we are: the full replay first, later lastRevision + 1. */
  private async open(): Promise<void> {
    const iter = await this.kv.watch({
      key: this.opts.filter ?? ALL_OBJECT_KEYS,
      ...(this.lastRevision > 0 ? { resumeFromRevision: this.lastRevision + 1 } : {}),
      initializedFn: () => {
        // Runs in stream order, after the last replayed entry went to the chain.
        this.chain = this.chain.then(() => this.markReplayDone());
      },
    });
    this.iter = iter;
    this.loop = this.consume(iter);
  }

  private async consume(iter: QueuedIterator<KvEntry>): Promise<void> {
    let failed = false;
    try {
      for await (const entry of iter) {
        if (this.stopped) break;
        this.chain = this.chain.then(() => this.handle(entry));
        await this.chain;
      }
    } catch (err) {
      // Lost infrastructure (the iterator failed, or reading chunks did): the entry was not
      // handled, so the next consumer starts at it again.
      failed = true;
      this.chain = Promise.resolve();
      if (!this.stopped) this.log.warn({ err, fromRevision: this.lastRevision + 1 }, "bucket watch failed");
    }
    if (!this.stopped && this.iter === iter) void this.restart(failed ? "watch failed" : "watch ended", failed ? 100 : 0);
  }

  private async handle(entry: KvEntry): Promise<void> {
    // A consumer reset may deliver again what was handled already.
    if (entry.revision <= this.lastRevision) return;
    // Chunks belong to their manifest's key; a filter wide enough to see them skips them.
    if (isChunkKey(entry.key)) {
      this.lastRevision = entry.revision;
      return;
    }
    // Throws (and so retries this entry) when NATS fails while chunks are read.
    const value = entry.operation === "PUT" ? await this.resolve(entry) : undefined;
    this.lastRevision = entry.revision;
    this.metrics.consumerRevision.set({ bucket: this.bucket }, entry.revision);
    if (entry.delta !== undefined) this.metrics.consumerLag.set({ bucket: this.bucket }, entry.delta);
    const meta: EntryMeta = { revision: entry.revision, created: entry.created, replay: !this.replayDone };
    try {
      if (entry.operation !== "PUT") await this.handlers.onDelete?.(entry.key, meta);
      else if (value !== undefined) await this.handlers.onValue(entry.key, value, meta);
    } catch (err) {
      // A handler bug: the service's logic failed on this value. Log it with its key and
      // go on, so one bad value does not stall every other key.
      this.metrics.handlerErrors.inc({ bucket: this.bucket });
      this.log.error({ err, key: entry.key, revision: entry.revision }, "bucket handler failed");
    }
    if (!this.replayDone && entry.delta === 0) await this.markReplayDone();
  }

  /** The decoded value, or undefined when it was dead-lettered or superseded. */
  private async resolve(entry: KvEntry): Promise<T | undefined> {
    let bytes = entry.value;
    try {
      const r = await resolveValue(this.kv, entry.key, entry.value, entry.revision);
      if (r.kind === "superseded") {
        this.log.debug({ key: entry.key, revision: entry.revision }, "chunked value superseded while read");
        return undefined;
      }
      bytes = r.bytes;
      return this.codec.decode(bytes);
    } catch (err) {
      if (!(err instanceof DecodeError || err instanceof ChunkError)) throw err;
      await this.deadLetter(entry, err);
      return undefined;
    }
  }

  private async deadLetter(entry: KvEntry, err: Error): Promise<void> {
    this.metrics.deadLetters.inc({ bucket: this.bucket });
    this.log.warn(
      { key: entry.key, revision: entry.revision, error: err.message, messageType: this.codec.messageType },
      "undecodable value moved to the dead letter",
    );
    if (this.opts.deadLetter === false) return;
    try {
      await publishDeadLetter(this.nc, {
        bucket: this.bucket,
        key: entry.key,
        revision: entry.revision,
        error: `${err.name}: ${err.message}`,
        messageType: this.codec.messageType,
        value: entry.value,
      });
    } catch (pubErr) {
      this.log.error({ err: pubErr, key: entry.key }, "could not publish to the dead letter");
    }
  }

  private async markReplayDone(): Promise<void> {
    if (this.replayDone) return;
    this.replayDone = true;
    this.log.debug({ revision: this.lastRevision }, "initial replay done");
    try {
      await this.handlers.onReplayDone?.();
    } catch (err) {
      this.log.error({ err }, "onReplayDone failed");
    }
    this.resolveReplayed();
  }

  private async followStatus(): Promise<void> {
    const statuses = this.nc.status();
    this.stopStatus = () => (statuses as { stop?: () => void }).stop?.();
    for await (const s of statuses) {
      if (this.stopped) return;
      if (s.type === "reconnect") void this.restart("reconnected");
    }
  }

  /** Replaces the consumer by one that starts after lastRevision; retries until it works. */
  private restart(reason: string, delayMs = 0): Promise<void> {
    if (this.restarting) return this.restarting;
    this.restarting = (async () => {
      const old = this.iter;
      this.iter = undefined;
      old?.stop();
      await this.loop;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      const backoff = new Backoff({ ...RESUME_BACKOFF, maxMs: this.opts.maxBackoffMs ?? RESUME_BACKOFF.maxMs });
      while (!this.stopped && !this.nc.isClosed()) {
        try {
          this.metrics.consumerRestarts.inc({ bucket: this.bucket });
          this.log.info({ reason, fromRevision: this.lastRevision + 1 }, "resuming bucket watch");
          await this.open();
          return;
        } catch (err) {
          this.log.warn({ err, reason }, "could not resume bucket watch; retrying");
          await backoff.wait();
        }
      }
    })().finally(() => (this.restarting = undefined));
    return this.restarting;
  }
}
