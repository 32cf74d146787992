// Values larger than one NATS message. NATS refuses messages over the server's
// max_payload (1 MiB by default) and a Gateway with thousands of routes has a larger IR,
// so such a value is split: its chunks go under `<key>._chunks.<slot>.<n>` first, then a
// small manifest (count, size, sha256, slot) goes under `<key>`. Readers therefore never
// see a half-written value: the manifest appears only once every chunk is stored, and
// the hash catches a chunk overwritten by a later write. Chunks alternate between two
// slots so a writer that dies mid-write leaves the current value intact. Chunk keys have
// more than three tokens, so watchers of `*.*.*` never receive them.
import { createHash } from "node:crypto";
import type { KV, KvEntry } from "nats";
import { DecodeError, ProtoMessage } from "./codecs/codec";
import { ChunkManifestSchema } from "./gen/gatehouse/bus/v1/chunk_pb";

const MAGIC = Uint8Array.from([0x00, 0x47, 0x48, 0x43, 0x4b]); // \0 G H C K
const CHUNK_MANIFEST_SCHEMA_VERSION = 1;
const CHUNK_MARKER = "_chunks";

export interface ChunkManifest {
  chunkCount: number;
  totalSize: number;
  sha256: string;
  slot: number;
}

/** Thrown when a chunked value cannot be reassembled (chunks missing or damaged). */
export class ChunkError extends Error {
  override name = "ChunkError";
}

const manifestType = new ProtoMessage(ChunkManifestSchema, CHUNK_MANIFEST_SCHEMA_VERSION);

export function chunkKey(key: string, slot: number, index: number): string {
  return `${key}.${CHUNK_MARKER}.${slot}.${index}`;
}

export function chunkKeysFilter(key: string): string {
  return `${key}.${CHUNK_MARKER}.>`;
}

export function isChunkKey(key: string): boolean {
  return key.includes(`.${CHUNK_MARKER}.`);
}

/** Largest chunk for a server max_payload, leaving room for headers and the protocol line. */
export function chunkSizeFor(maxPayload: number): number {
  return Math.max(1024, maxPayload - Math.min(8192, Math.floor(maxPayload / 8)));
}

export function encodeManifest(m: ChunkManifest): Uint8Array {
  const body = manifestType.encode({ ...m, totalSize: BigInt(m.totalSize) });
  const out = new Uint8Array(MAGIC.length + body.length);
  out.set(MAGIC, 0);
  out.set(body, MAGIC.length);
  return out;
}

/** The manifest a stored value holds, or undefined for a plain value. */
export function decodeManifest(value: Uint8Array): ChunkManifest | undefined {
  if (value.length < MAGIC.length || MAGIC.some((b, i) => value[i] !== b)) return undefined;
  const p = manifestType.decode(value.subarray(MAGIC.length));
  return {
    chunkCount: p.chunkCount,
    totalSize: Number(p.totalSize),
    sha256: p.sha256,
    slot: p.slot,
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes values of one bucket, splitting the large ones. One ChunkedWriter per bucket and writer. */
export class ChunkedWriter {
  /**
   * Slot of the current manifest of each key this writer knows to be chunked. Plain keys
   * are not tracked, so the map stays as small as the set of large values.
   */
  private readonly slots = new Map<string, number>();
  /** Writes of one key run one after the other, in call order (other keys run in parallel). */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly kv: KV,
    private readonly maxPayload: () => number,
    /**
     * Wraps each whole write (retries across outages). It runs inside the key's queue, so
     * a retried write still lands before any later write of the same key.
     */
    private readonly attempt: <T>(what: string, op: () => Promise<T>) => Promise<T> = (_what, op) => op(),
  ) {}

  /** Stores a value under key; returns the revision of the entry at key. */
  put(key: string, bytes: Uint8Array): Promise<number> {
    return this.serialize(key, () => this.attempt(`put ${key}`, () => this.write(key, bytes)));
  }

  delete(key: string): Promise<void> {
    return this.serialize(key, () => this.attempt(`delete ${key}`, () => this.remove(key)));
  }

  private async remove(key: string): Promise<void> {
    const previousSlot = this.slots.has(key) ? this.slots.get(key)! : await this.storedSlot(key);
    await this.kv.delete(key);
    this.slots.delete(key);
    if (previousSlot !== null) await this.purgeChunks(key);
  }

  private async write(key: string, bytes: Uint8Array): Promise<number> {
    const limit = chunkSizeFor(this.maxPayload());
    if (bytes.length <= limit && !(bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b))) {
      const revision = await this.kv.put(key, bytes);
      // Chunks of a value this writer stored are removed once a plain value replaced it.
      // (After a writer restart, chunks of an earlier large value may stay behind: unused
      // and invisible to readers, they are overwritten by the next large value of the key.)
      if (this.slots.delete(key)) await this.purgeChunks(key);
      return revision;
    }
    const previousSlot = this.slots.has(key) ? this.slots.get(key)! : await this.storedSlot(key);
    const slot = previousSlot === 0 ? 1 : 0;
    const count = Math.ceil(bytes.length / limit);
    // Chunks in parallel (their order does not matter), the manifest strictly after all.
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        this.kv.put(chunkKey(key, slot, i), bytes.subarray(i * limit, Math.min(bytes.length, (i + 1) * limit))),
      ),
    );
    const revision = await this.kv.put(
      key,
      encodeManifest({ chunkCount: count, totalSize: bytes.length, sha256: sha256(bytes), slot }),
    );
    this.slots.set(key, slot);
    return revision;
  }

  private serialize<T>(key: string, op: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(op, op);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  /** Slot of the manifest stored under key, or null for a plain value or none. */
  private async storedSlot(key: string): Promise<number | null> {
    const entry = await this.kv.get(key);
    const manifest = entry && entry.operation === "PUT" ? safeManifest(entry.value) : undefined;
    return manifest ? manifest.slot : null;
  }

  private async purgeChunks(key: string): Promise<void> {
    const keys: string[] = [];
    for await (const k of await this.kv.keys(chunkKeysFilter(key))) keys.push(k);
    for (const k of keys) await this.kv.purge(k);
  }
}

function safeManifest(value: Uint8Array): ChunkManifest | undefined {
  try {
    return decodeManifest(value);
  } catch {
    return undefined;
  }
}

export type Resolved =
  | { kind: "value"; bytes: Uint8Array }
  /** The chunks were overwritten by a newer write: a newer entry for the key follows. */
  | { kind: "superseded" };

/**
 * The bytes of an entry read at `revision`: the value itself, or the chunks its manifest
 * names, reassembled and checked. A manifest whose chunks no longer match is "superseded"
 * when the key has moved on; when it has not, the value is damaged (ChunkError).
 */
export async function resolveValue(kv: KV, key: string, value: Uint8Array, revision: number): Promise<Resolved> {
  let manifest: ChunkManifest | undefined;
  try {
    manifest = decodeManifest(value);
  } catch (err) {
    throw new DecodeError(`damaged chunk manifest: ${(err as Error).message}`);
  }
  if (!manifest) return { kind: "value", bytes: value };
  const bytes = await readChunks(kv, key, manifest);
  if (bytes) return { kind: "value", bytes };
  const now = await kv.get(key);
  if (now && now.revision !== revision) return { kind: "superseded" };
  throw new ChunkError(
    `chunked value of ${key} (revision ${revision}, ${manifest.chunkCount} chunks, ${manifest.totalSize} bytes) cannot be reassembled`,
  );
}

async function readChunks(kv: KV, key: string, m: ChunkManifest): Promise<Uint8Array | undefined> {
  const out = new Uint8Array(m.totalSize);
  let offset = 0;
  for (let i = 0; i < m.chunkCount; i++) {
    const chunk = await kv.get(chunkKey(key, m.slot, i));
    if (!chunk || chunk.operation !== "PUT" || offset + chunk.value.length > m.totalSize) return undefined;
    out.set(chunk.value, offset);
    offset += chunk.value.length;
  }
  if (offset !== m.totalSize || sha256(out) !== m.sha256) return undefined;
  return out;
}

/** Reads the current value of key (reassembled), retrying while a writer replaces it. */
export async function getValue(kv: KV, key: string): Promise<{ bytes: Uint8Array; revision: number } | undefined> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const entry: KvEntry | null = await kv.get(key);
    if (!entry || entry.operation !== "PUT") return undefined;
    const r = await resolveValue(kv, key, entry.value, entry.revision);
    if (r.kind === "value") return { bytes: r.bytes, revision: entry.revision };
  }
  throw new ChunkError(`value of ${key} kept changing while it was read`);
}
