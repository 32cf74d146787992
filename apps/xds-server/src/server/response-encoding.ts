// Wire encoding of discovery responses with each resource's bytes encoded once, not once
// per stream. A ClusterLoadAssignment of a 10,000-pod Service is about 400 KB and goes to
// every subscribed proxy: protobufjs would re-run its writer over those bytes for each
// stream. Here the encoded `Resource` (Delta) or `Any` (SotW) entry of every cache resource
// is memoized by the identity of its bytes, and a response is the small per-stream fields
// (version, nonce, type URL, removals) followed by the memoized entries. Protobuf readers
// accept fields in any order, so the result parses exactly as protobufjs's own encoding.
import protobuf from "protobufjs";
import { messageType } from "@gatehouse/xds";
import type { AnyMessage, DeltaDiscoveryResponse, DeltaResource, DiscoveryResponse } from "./discovery-messages";

const PKG = "envoy.service.discovery.v3";
/** Field 2, length-delimited: `resources` in both DiscoveryResponse and DeltaDiscoveryResponse. */
const RESOURCES_TAG = (2 << 3) | 2;

interface Memo {
  name: string;
  version: string;
  typeUrl: string;
  entry: Buffer;
}

/** Encoded entries by the resource's bytes (cache resources are immutable and shared by every stream). */
const deltaEntries = new WeakMap<Uint8Array, Memo>();
const sotwEntries = new WeakMap<Uint8Array, Memo>();

/** One `resources` entry (tag, length, message), from the memo when these bytes were encoded with the same name, version and type. */
function entry(bytes: Uint8Array | undefined, name: string, version: string, typeUrl: string, memo: WeakMap<Uint8Array, Memo>, encode: () => Uint8Array): Buffer {
  const hit = bytes && memo.get(bytes);
  if (hit && hit.name === name && hit.version === version && hit.typeUrl === typeUrl) return hit.entry;
  const body = encode();
  const w = protobuf.Writer.create();
  w.uint32(RESOURCES_TAG).uint32(body.length);
  const head = w.finish();
  const out = Buffer.allocUnsafe(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  if (bytes) memo.set(bytes, { name, version, typeUrl, entry: out });
  return out;
}

function concat(head: Uint8Array, entries: Buffer[]): Buffer {
  if (entries.length === 0) return Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  return Buffer.concat([head, ...entries]);
}

let deltaTypes: { response: protobuf.Type; resource: protobuf.Type } | undefined;
let sotwTypes: { response: protobuf.Type; any: protobuf.Type } | undefined;

/** DeltaDiscoveryResponse bytes; resources without a body (removals by name) are encoded per call. */
export function encodeDeltaResponse(value: DeltaDiscoveryResponse): Buffer {
  deltaTypes ??= { response: messageType(`${PKG}.DeltaDiscoveryResponse`), resource: messageType(`${PKG}.Resource`) };
  const { response, resource } = deltaTypes;
  const { resources, ...rest } = value;
  const head = response.encode(rest as never).finish();
  const entries = (resources ?? []).map((r: DeltaResource) =>
    entry(r.resource?.value, r.name, r.version, r.resource?.type_url ?? "", deltaEntries, () => resource.encode(r as never).finish()),
  );
  return concat(head, entries);
}

/** DiscoveryResponse (SotW) bytes. */
export function encodeSotwResponse(value: DiscoveryResponse): Buffer {
  sotwTypes ??= { response: messageType(`${PKG}.DiscoveryResponse`), any: messageType("google.protobuf.Any") };
  const { response, any } = sotwTypes;
  const { resources, ...rest } = value;
  const head = response.encode(rest as never).finish();
  const entries = (resources ?? []).map((a: AnyMessage) => entry(a.value, "", "", a.type_url, sotwEntries, () => any.encode(a as never).finish()));
  return concat(head, entries);
}
