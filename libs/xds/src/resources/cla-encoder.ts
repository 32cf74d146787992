// Encodes ClusterLoadAssignments straight to protobuf wire format, reusing bytes it has
// encoded before. During a rolling restart of a 10,000-pod Service each event changes one
// endpoint but the assignment carries all of them, so encoding it through protobufjs
// objects on every push costs tens of milliseconds, and even concatenating 10,000 cached
// per-endpoint encodings costs milliseconds. libs/endpoints keeps unchanged Endpoint
// objects identical between pushes, so the encoder cuts each zone's endpoint list into
// content-defined blocks (a block ends after an endpoint whose address hashes to a cut,
// about every BLOCK_TARGET endpoints) and memoizes each block's bytes by the identity of
// its endpoints: a push checks identities (no lookups), re-encodes the one or two blocks
// around a change, and copies about one block per BLOCK_TARGET endpoints into a single
// buffer. Blocks depend on content only, so equal content gives equal bytes and versions,
// also across restarts. The bytes equal the validated encoding of buildClusterLoadAssignment
// (endpoint-type.ts) + encodeResource, byte for byte (cla-encoder.test.ts).
import { createHash } from "node:crypto";
import type { Endpoint, EndpointSet } from "@gatehouse/ir";

// envoy.config.core.v3.HealthStatus
const HEALTH_STATUS: Record<Endpoint["health"], number> = { HEALTHY: 1, DRAINING: 3 };

/** Upper bound on memoized endpoints; past it the memo starts over (cheap and bounded). */
const DEFAULT_MEMO_LIMIT = 200_000;
/** Average endpoints per block (a power of two: cuts are hash & (BLOCK_TARGET - 1) === 0). */
const BLOCK_TARGET = 32;
/** A block never grows past this, so an unlucky run of addresses stays cheap to re-encode. */
const BLOCK_MAX = 4 * BLOCK_TARGET;

interface Block {
  endpoints: Endpoint[];
  bytes: Buffer;
  hash: Buffer;
  /** Ended by a cut or by BLOCK_MAX (not by the end of its list). */
  complete: boolean;
}

const EMPTY = Buffer.alloc(0);

export class ClaEncoder {
  private memo = new Map<string, Buffer>();
  private readonly byEndpoint = new WeakMap<Endpoint, Buffer>();
  /** Blocks by their first endpoint. */
  private readonly blocks = new WeakMap<Endpoint, Block>();
  /** Blocks of a zone's endpoint array: unchanged zones keep their array (libs/endpoints). */
  private readonly zoneBlocks = new WeakMap<readonly Endpoint[], Block[]>();

  constructor(private readonly memoLimit = DEFAULT_MEMO_LIMIT) {}

  /** The encoded envoy.config.endpoint.v3.ClusterLoadAssignment of an endpoint set. */
  encode(set: EndpointSet): Uint8Array {
    return this.encodeWithVersion(set).bytes;
  }

  /**
   * The encoding and a content version: a hash over the zones and the hashes of their
   * blocks, so a push hashes only new blocks instead of the whole assignment (400 KiB for
   * 10,000 endpoints). Equal content gives equal versions, also across restarts.
   */
  encodeWithVersion(set: EndpointSet): { bytes: Uint8Array; version: string } {
    const name = Buffer.from(set.clusterName, "utf8");
    const version = createHash("sha256").update(name);
    // ClusterLoadAssignment.cluster_name (1), then one endpoints (2) entry per locality.
    let total = fieldLength(1, name.length);
    const zones: Array<{ head: Buffer; blocks: Block[] }> = [];
    for (const locality of set.localities) {
      const blocks = this.blocksOf(locality.endpoints);
      // LocalityLbEndpoints.locality (1) = Locality { zone (2) }; no zone, no locality.
      const localityBytes = locality.zone ? field(1, field(2, Buffer.from(locality.zone, "utf8"))) : EMPTY;
      let inner = localityBytes.length;
      for (const b of blocks) inner += b.bytes.length;
      const head = Buffer.concat([varint((2 << 3) | 2), varint(inner), localityBytes]);
      total += head.length + inner - localityBytes.length;
      zones.push({ head, blocks });
      version.update(head);
      for (const b of blocks) version.update(b.hash);
    }
    const out = Buffer.allocUnsafe(total);
    let at = writeVarint(out, 0, (1 << 3) | 2);
    at = writeVarint(out, at, name.length);
    at += name.copy(out, at);
    for (const { head, blocks } of zones) {
      at += head.copy(out, at);
      for (const b of blocks) at += b.bytes.copy(out, at);
    }
    if (at !== total) throw new Error(`ClaEncoder: wrote ${at} of ${total} bytes`);
    return { bytes: out, version: version.digest("base64url").slice(0, 16) };
  }

  /** Number of memoized endpoints (for tests and metrics). */
  get memoSize(): number {
    return this.memo.size;
  }

  /** The blocks of one zone's endpoint list: cached ones where the same endpoints follow each other, new ones elsewhere. */
  private blocksOf(endpoints: readonly Endpoint[]): Block[] {
    const known = this.zoneBlocks.get(endpoints);
    if (known) return known;
    const out: Block[] = [];
    let i = 0;
    while (i < endpoints.length) {
      const cached = this.blocks.get(endpoints[i]);
      // A block that ended with its list is only reused where the list ends again, so
      // blocks stay content-defined.
      const fits = cached && (cached.complete ? i + cached.endpoints.length <= endpoints.length : i + cached.endpoints.length === endpoints.length);
      if (cached && fits && sameRun(cached.endpoints, endpoints, i)) {
        out.push(cached);
        i += cached.endpoints.length;
        continue;
      }
      let end = i;
      let complete = false;
      while (end < endpoints.length) {
        const e = endpoints[end++];
        if (end - i >= BLOCK_MAX || isCut(e)) {
          complete = true;
          break;
        }
      }
      const run = endpoints.slice(i, end);
      const bytes = Buffer.concat(run.map((e) => this.lbEndpoint(e)));
      const block: Block = { endpoints: run, bytes, hash: createHash("sha256").update(bytes).digest(), complete };
      this.blocks.set(run[0], block);
      out.push(block);
      i = end;
    }
    this.zoneBlocks.set(endpoints, out);
    return out;
  }

  /** LocalityLbEndpoints.lb_endpoints (2) entry, tag included. */
  private lbEndpoint(e: Endpoint): Buffer {
    const same = this.byEndpoint.get(e);
    if (same) return same;
    const key = `${e.address}|${e.port}|${e.health}|${e.hostname ?? ""}`;
    let bytes = this.memo.get(key);
    if (bytes) {
      this.byEndpoint.set(e, bytes);
      return bytes;
    }
    // SocketAddress { address (2), port_value (3) }; protocol TCP is the default (0).
    const socket = Buffer.concat([field(2, Buffer.from(e.address, "utf8")), varintField(3, e.port)]);
    const address = field(1, socket); // Address.socket_address (1)
    const endpoint = Buffer.concat([field(1, address), ...(e.hostname ? [field(3, Buffer.from(e.hostname, "utf8"))] : [])]);
    // LbEndpoint { endpoint (1), health_status (2) }
    const lb = Buffer.concat([field(1, endpoint), varintField(2, HEALTH_STATUS[e.health])]);
    bytes = field(2, lb);
    if (this.memo.size >= this.memoLimit) this.memo = new Map();
    this.memo.set(key, bytes);
    this.byEndpoint.set(e, bytes);
    return bytes;
  }
}

/** True when endpoints[at...] starts with exactly the objects of run. */
function sameRun(run: readonly Endpoint[], endpoints: readonly Endpoint[], at: number): boolean {
  for (let k = 1; k < run.length; k++) if (run[k] !== endpoints[at + k]) return false;
  return true;
}

/** A block ends after this endpoint (FNV-1a of address and port; content only, so blocks are reproducible). */
function isCut(e: Endpoint): boolean {
  let h = 0x811c9dc5;
  const a = e.address;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ e.port, 0x01000193);
  return ((h >>> 8) & (BLOCK_TARGET - 1)) === 0;
}

/** Bytes of a length-delimited field with a payload of n bytes. */
function fieldLength(num: number, n: number): number {
  return varintLength((num << 3) | 2) + varintLength(n) + n;
}

function varintLength(v: number): number {
  let n = 1;
  for (let x = v >>> 7; x > 0; x >>>= 7) n++;
  return n;
}

function writeVarint(out: Buffer, at: number, value: number): number {
  let v = value >>> 0;
  while (v > 0x7f) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}

/** A length-delimited field (wire type 2). */
function field(num: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((num << 3) | 2), varint(payload.length), payload]);
}

/** A varint field (wire type 0). */
function varintField(num: number, value: number): Buffer {
  return Buffer.concat([varint(num << 3), varint(value)]);
}

function varint(value: number): Buffer {
  const out = Buffer.allocUnsafe(varintLength(value));
  writeVarint(out, 0, value);
  return out;
}
