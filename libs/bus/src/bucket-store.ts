// Typed reads and writes of one declared bucket: values go through the bucket's codec and
// are split into chunks when they exceed the server's max_payload. Only the bucket's one
// writer (see declarations) calls put and delete.
import type { KV, NatsConnection } from "nats";
import { ChunkedWriter, chunkSizeFor, getValue, isChunkKey } from "./chunked-kv";
import { bucketCodec, BUCKETS, type BucketInputs, type BucketName, type BucketValues } from "./declarations";
import { ALL_OBJECT_KEYS } from "./keys";
import { busMetrics } from "./metrics";

export class BucketStore<B extends BucketName> {
  private readonly writer: ChunkedWriter;
  private readonly codec;

  private constructor(
    private readonly nc: NatsConnection,
    readonly bucket: B,
    readonly kv: KV,
  ) {
    this.writer = new ChunkedWriter(kv, () => this.maxPayload());
    this.codec = bucketCodec(bucket);
  }

  /** Binds to a declared bucket (ensureBus must have created it). */
  static async open<B extends BucketName>(nc: NatsConnection, bucket: B): Promise<BucketStore<B>> {
    const kv = await nc.jetstream().views.kv(BUCKETS[bucket].bucket, { bindOnly: true });
    return new BucketStore(nc, bucket, kv);
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

  /** The current value of key, or undefined when there is none. Throws DecodeError/ChunkError. */
  async get(key: string): Promise<{ value: BucketValues[B]; revision: number } | undefined> {
    const got = await getValue(this.kv, key);
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
