// Typed reads and writes of one declared bucket: values go through the bucket's codec and
// are split into chunks when they exceed the server's max_payload. Only the bucket's one
// writer (see declarations) calls put and delete.
import type { KV, NatsConnection } from "nats";
import { ChunkedWriter, chunkSizeFor, getValue, isChunkKey } from "./chunked-kv";
import { bucketCodec, BUCKETS, type BucketInputs, type BucketName, type BucketValues } from "./declarations";
import { ALL_OBJECT_KEYS } from "./keys";
import { busLogger, type BusLogger } from "./logger";
import { busMetrics } from "./metrics";
import { retryTransient } from "./retry";

export interface BucketStoreOptions {
  /**
   * How long put and delete keep retrying while NATS is unreachable (default 60 s; 0: no
   * retries). Writes of one key stay in call order meanwhile.
   */
  retryForMs?: number;
  logger?: BusLogger;
}

export class BucketStore<B extends BucketName> {
  private readonly writer: ChunkedWriter;
  private readonly codec;

  private readonly log: BusLogger;

  private constructor(
    private readonly nc: NatsConnection,
    readonly bucket: B,
    readonly kv: KV,
    private readonly opts: BucketStoreOptions,
  ) {
    this.log = busLogger(opts.logger, "bus-store").child({ bucket });
    this.writer = new ChunkedWriter(kv, () => this.maxPayload(), (what, op) => this.retry(what, op));
    this.codec = bucketCodec(bucket);
  }

  /** Binds to a declared bucket (ensureBus must have created it). */
  static async open<B extends BucketName>(nc: NatsConnection, bucket: B, opts: BucketStoreOptions = {}): Promise<BucketStore<B>> {
    const kv = await nc.jetstream().views.kv(BUCKETS[bucket].bucket, { bindOnly: true });
    return new BucketStore(nc, bucket, kv, opts);
  }

  /** The server's max_payload: what one message may carry. */
  maxPayload(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024;
  }

  /** Encodes and stores a value; returns its revision. */
  async put(key: string, value: BucketInputs[B]): Promise<number> {
    return this.putBytes(key, this.codec.encode(value));
  }

  /** Stores already encoded bytes (split if needed). */
  async putBytes(key: string, bytes: Uint8Array): Promise<number> {
    if (bytes.length > chunkSizeFor(this.maxPayload())) busMetrics().chunkedWrites.inc({ bucket: this.bucket });
    return this.writer.put(key, bytes);
  }

  async delete(key: string): Promise<void> {
    await this.writer.delete(key);
  }

  /** Runs a NATS request, retrying transient failures for up to `retryForMs`. */
  private retry<T>(what: string, op: () => Promise<T>): Promise<T> {
    return retryTransient(op, {
      retryForMs: this.opts.retryForMs ?? 60_000,
      logger: this.log,
      what,
      abandoned: () => this.nc.isClosed(),
    });
  }

  /**
   * The current value of key, or undefined when there is none. Throws DecodeError/ChunkError.
   * Reads are retried across a NATS outage like writes: right after a server restart
   * JetStream answers requests with timeouts for a moment, and a reader should not fail then.
   */
  async get(key: string): Promise<{ value: BucketValues[B]; revision: number } | undefined> {
    const got = await this.retry(`get ${key}`, () => getValue(this.kv, key));
    if (!got) return undefined;
    return { value: this.codec.decode(got.bytes), revision: got.revision };
  }

  /** Keys that currently hold a value (chunk keys left out). */
  async keys(filter: string = ALL_OBJECT_KEYS): Promise<string[]> {
    const out: string[] = [];
    for await (const k of await this.kv.keys(filter)) if (!isChunkKey(k)) out.push(k);
    return out.sort();
  }
}
