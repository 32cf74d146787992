// The keys a bucket holds now, read through the same replay consumer every service uses
// (watchKv): nats.js's kv.keys() ends only when a message reports zero pending, which a
// consumer reset under load can leave waiting forever.
import type { NatsConnection } from "nats";
import { BUCKETS, watchKv, type BucketName, type BusLogger } from "@gatehouse/bus";

const raw = { messageType: "raw", encode: (b: Uint8Array) => b, decode: (b: Uint8Array) => b };

export async function bucketKeys(nc: NatsConnection, bucket: BucketName, logger?: BusLogger): Promise<string[]> {
  const keys = new Set<string>();
  const watch = await watchKv(
    nc,
    BUCKETS[bucket].bucket,
    raw,
    { onValue: (key) => void keys.add(key), onDelete: (key) => void keys.delete(key) },
    { logger, deadLetter: false },
  );
  await watch.replayed;
  await watch.stop();
  return [...keys].sort();
}
