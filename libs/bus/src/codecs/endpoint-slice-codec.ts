// `endpoints`: EndpointSlices as typed, compact messages (the hot path). Decoding gives
// the discovery.k8s.io/v1 shape that libs/endpoints reads, so a slice goes from the
// watcher to the xds-server without a translation step of its own. Both directions are
// hand-written because this is the hot path (encoder: endpoint-slice-encoder.ts; decoder:
// below), each tested against the generated schema (src/gen) for the same message.
import type { MessageInitShape } from "@bufbuild/protobuf";
import protobuf from "protobufjs";
import { EndpointSlice_AddressType, EndpointSliceSchema } from "../gen/gatehouse/bus/v1/endpoints_pb";
import type { Codec } from "./codec";
import { DecodeError, EncodeError, ProtoMessage } from "./codec";
import { writeEndpointSlice } from "./endpoint-slice-encoder";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

export interface BusEndpointSlice {
  metadata: {
    namespace: string;
    name: string;
    /** Only the kubernetes.io/service-name label travels. */
    labels: Record<string, string>;
    resourceVersion?: string;
  };
  addressType: "IPv4" | "IPv6" | "FQDN";
  endpoints: Array<{
    addresses: string[];
    conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
    hostname?: string;
    nodeName?: string;
    zone?: string;
    targetRef?: { kind?: string; name?: string };
  }>;
  ports: Array<{ name?: string; port?: number; protocol?: string; appProtocol?: string }>;
}

/** What encode accepts: the Kubernetes object (nulls allowed, extra fields ignored). */
export interface EndpointSliceInput {
  metadata: { namespace?: string; name: string; labels?: Record<string, string> | null; resourceVersion?: string };
  addressType: string;
  endpoints?: Array<{
    addresses: string[];
    conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null } | null;
    hostname?: string | null;
    nodeName?: string | null;
    zone?: string | null;
    targetRef?: { kind?: string; name?: string } | null;
  }> | null;
  ports?: Array<{ name?: string | null; port?: number | null; protocol?: string | null; appProtocol?: string | null }> | null;
}

export const ENDPOINT_SLICE_SCHEMA_VERSION = 1;

const TO_PROTO: Record<string, EndpointSlice_AddressType> = {
  IPv4: EndpointSlice_AddressType.IPV4,
  IPv6: EndpointSlice_AddressType.IPV6,
  FQDN: EndpointSlice_AddressType.FQDN,
};

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/**
 * The message the generated schema encodes for a slice: the reference that the hand-written
 * encoder (endpoint-slice-encoder.ts) is tested byte-equal against.
 */
export function endpointSliceMessage(slice: EndpointSliceInput): MessageInitShape<typeof EndpointSliceSchema> {
  const addressType = TO_PROTO[slice.addressType];
  if (addressType === undefined) throw new EncodeError(`EndpointSlice ${slice.metadata?.name}: unknown addressType ${slice.addressType}`);
  return {
    schemaVersion: ENDPOINT_SLICE_SCHEMA_VERSION,
    namespace: slice.metadata.namespace ?? "",
    name: slice.metadata.name,
    serviceName: slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? "",
    addressType,
    resourceVersion: slice.metadata.resourceVersion ?? "",
    endpoints: (slice.endpoints ?? []).map((e) => ({
      addresses: e.addresses,
      ready: opt(e.conditions?.ready),
      serving: opt(e.conditions?.serving),
      terminating: opt(e.conditions?.terminating),
      hostname: e.hostname ?? "",
      nodeName: e.nodeName ?? "",
      zone: e.zone ?? "",
      targetKind: e.targetRef?.kind ?? "",
      targetName: e.targetRef?.name ?? "",
    })),
    ports: (slice.ports ?? []).map((p) => ({
      name: p.name ?? "",
      port: opt(p.port),
      protocol: p.protocol ?? "",
      appProtocol: p.appProtocol ?? "",
    })),
  };
}

/** Slices whose endpoints are remembered for reuse (the least recently written are forgotten first). */
export const REMEMBERED_SLICES = 100_000;

export function endpointSliceCodec(): Codec<BusEndpointSlice, EndpointSliceInput> {
  const msg = new ProtoMessage(EndpointSliceSchema, ENDPOINT_SLICE_SCHEMA_VERSION);
  const previous = new PreviousEndpoints(REMEMBERED_SLICES);
  return {
    messageType: msg.fullName,
    encode(slice: EndpointSliceInput) {
      const addressType = TO_PROTO[slice.addressType];
      if (addressType === undefined) throw new EncodeError(`EndpointSlice ${slice.metadata?.name}: unknown addressType ${slice.addressType}`);
      return writeEndpointSlice(slice, msg.schemaVersion, addressType, slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? "");
    },
    decode(bytes) {
      try {
        return decodeSlice(protobuf.Reader.create(bytes), msg, previous);
      } catch (err) {
        if (err instanceof DecodeError) throw err;
        throw new DecodeError(`not a ${msg.fullName}: ${(err as Error).message}`);
      }
    },
  };
}

// Decoding reads the wire format straight into the discovery.k8s.io/v1 shape: the
// slice is the hot path's payload (one per endpoint event, 100 endpoints each), and
// building message objects first and mapping them after costs several times more than the
// rest of the fast path. Same result as the generated schema's decoding (fromBinary,
// tested); unknown fields are skipped, as protobuf readers do.
//
// A slice event usually changes one endpoint of a hundred, yet the whole slice arrives.
// Each endpoint whose bytes equal those it had in the previous value of the same slice
// is not decoded again: the previous object is returned (decoded values are never
// mutated). That saves most of the decoding and its garbage, and lets the endpoint view
// skip unchanged endpoints by identity.
type Reader = protobuf.Reader;
type BusEndpoint = BusEndpointSlice["endpoints"][number];
type BusPort = BusEndpointSlice["ports"][number];

const ADDRESS_TYPES: Record<number, BusEndpointSlice["addressType"]> = { 1: "IPv4", 2: "IPv6", 3: "FQDN" };
const ADDRESS_TYPE_NAMES: Record<number, string> = { 0: "ADDRESS_TYPE_UNSPECIFIED", 1: "IPV4", 2: "IPV6", 3: "FQDN" };

/** The endpoints of the last value of each slice, by their encoded bytes (latin1). */
class PreviousEndpoints {
  private readonly bySlice = new Map<string, Map<string, BusEndpoint>>();

  constructor(private readonly capacity: number) {}

  get(slice: string): Map<string, BusEndpoint> | undefined {
    return this.bySlice.get(slice);
  }

  set(slice: string, endpoints: Map<string, BusEndpoint>): void {
    this.bySlice.delete(slice); // re-inserted last: eviction takes the least recently written
    this.bySlice.set(slice, endpoints);
    if (this.bySlice.size > this.capacity) this.bySlice.delete(this.bySlice.keys().next().value!);
  }
}

function decodeSlice(r: Reader, msg: ProtoMessage<typeof EndpointSliceSchema>, previous: PreviousEndpoints): BusEndpointSlice {
  let version = 0;
  let namespace = "";
  let name = "";
  let serviceName = "";
  let addressType = 0;
  let resourceVersion = "";
  /** Start and end of each endpoint's bytes: decoded after the slice's name is known. */
  const endpointRanges: number[] = [];
  const ports: BusPort[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        if (wire !== 0) break;
        version = r.uint32();
        continue;
      case 2:
        if (wire !== 2) break;
        namespace = r.string();
        continue;
      case 3:
        if (wire !== 2) break;
        name = r.string();
        continue;
      case 4:
        if (wire !== 2) break;
        serviceName = r.string();
        continue;
      case 5:
        if (wire !== 0) break;
        addressType = r.int32();
        continue;
      case 6:
        if (wire !== 2) break;
        {
          const end = r.uint32() + r.pos;
          if (end > r.len) throw new DecodeError("endpoint length past the end of the message");
          endpointRanges.push(r.pos, end);
          r.pos = end;
        }
        continue;
      case 7:
        if (wire !== 2) break;
        ports.push(decodePort(r, r.uint32() + r.pos));
        continue;
      case 8:
        if (wire !== 2) break;
        resourceVersion = r.string();
        continue;
    }
    r.skipType(wire);
  }
  msg.checkVersion(version);
  const type = ADDRESS_TYPES[addressType];
  if (!type) throw new DecodeError(`EndpointSlice ${name}: address type ${ADDRESS_TYPE_NAMES[addressType] ?? addressType}`);
  const endpoints = decodeEndpoints(r, endpointRanges, previous, `${namespace}/${name}`);
  const labels: Record<string, string> = {};
  if (serviceName) labels[SERVICE_NAME_LABEL] = serviceName;
  const metadata: BusEndpointSlice["metadata"] = { namespace, name, labels };
  if (resourceVersion) metadata.resourceVersion = resourceVersion;
  return { metadata, addressType: type, endpoints, ports };
}

function decodeEndpoints(r: Reader, ranges: number[], previous: PreviousEndpoints, sliceKey: string): BusEndpoint[] {
  const before = previous.get(sliceKey);
  const now = new Map<string, BusEndpoint>();
  const endpoints: BusEndpoint[] = [];
  // One Buffer view of the payload (NATS hands out Uint8Arrays), for latin1 keys of its ranges.
  const buf = Buffer.isBuffer(r.buf) ? r.buf : Buffer.from(r.buf.buffer, r.buf.byteOffset, r.buf.byteLength);
  for (let i = 0; i < ranges.length; i += 2) {
    const [start, end] = [ranges[i], ranges[i + 1]];
    const key = buf.toString("latin1", start, end);
    let e = now.get(key) ?? before?.get(key);
    if (!e) {
      r.pos = start;
      e = decodeEndpoint(r, end);
    }
    now.set(key, e);
    endpoints.push(e);
  }
  previous.set(sliceKey, now);
  return endpoints;
}

function decodeEndpoint(r: Reader, end: number): BusEndpoint {
  const addresses: string[] = [];
  const conditions: BusEndpoint["conditions"] = {};
  let hostname = "";
  let nodeName = "";
  let zone = "";
  let targetKind = "";
  let targetName = "";
  while (r.pos < end) {
    const tag = r.uint32();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        if (wire !== 2) break;
        addresses.push(r.string());
        continue;
      case 2:
        if (wire !== 0) break;
        conditions.ready = r.bool();
        continue;
      case 3:
        if (wire !== 0) break;
        conditions.serving = r.bool();
        continue;
      case 4:
        if (wire !== 0) break;
        conditions.terminating = r.bool();
        continue;
      case 5:
        if (wire !== 2) break;
        hostname = r.string();
        continue;
      case 6:
        if (wire !== 2) break;
        nodeName = r.string();
        continue;
      case 7:
        if (wire !== 2) break;
        zone = r.string();
        continue;
      case 8:
        if (wire !== 2) break;
        targetKind = r.string();
        continue;
      case 9:
        if (wire !== 2) break;
        targetName = r.string();
        continue;
    }
    r.skipType(wire);
  }
  const e: BusEndpoint = { addresses, conditions };
  if (hostname) e.hostname = hostname;
  if (nodeName) e.nodeName = nodeName;
  if (zone) e.zone = zone;
  if (targetKind || targetName) {
    e.targetRef = {};
    if (targetKind) e.targetRef.kind = targetKind;
    if (targetName) e.targetRef.name = targetName;
  }
  return e;
}

function decodePort(r: Reader, end: number): BusPort {
  const p: BusPort = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const wire = tag & 7;
    const num = tag >>> 3;
    if (wire === 2 && (num === 1 || num === 3 || num === 4)) {
      const s = r.string();
      if (!s) continue;
      if (num === 1) p.name = s;
      else if (num === 3) p.protocol = s;
      else p.appProtocol = s;
      continue;
    }
    if (wire === 0 && num === 2) {
      p.port = r.int32();
      continue;
    }
    r.skipType(wire);
  }
  return p;
}
