// Every bucket and stream of the bus, declared once: name, the one service that writes
// it, who reads it, retention, and the codec of its values. ensureBus() creates them
// (idempotently: existing ones are brought to this configuration), so any service may
// start first. Permissions in the deploy manifests follow the `writer` column.
import type { JetStreamManager, NatsConnection, StreamConfig } from "nats";
import { DiscardPolicy, RetentionPolicy, StorageType } from "nats";
import type { GatewayIR } from "@gatehouse/ir";
import type { Codec } from "./codecs/codec";
import { certificateCodec, type CertificateRecord } from "./codecs/cert-codec";
import { endpointSliceCodec, type BusEndpointSlice, type EndpointSliceInput } from "./codecs/endpoint-slice-codec";
import { irCodec, type IrRecord } from "./codecs/ir-codec";
import { resourceCodec, type ResourceRecord } from "./codecs/resource-codec";
import { statusCodec, type StatusRecord } from "./codecs/status-codec";
import { xdsEventCodec, type XdsEvent } from "./codecs/xds-event-codec";

/** Values as read from each bucket. */
export interface BucketValues {
  resources: ResourceRecord;
  derived: ResourceRecord;
  endpoints: BusEndpointSlice;
  ir: IrRecord;
  status: StatusRecord;
  "ingress-status": StatusRecord;
  certs: CertificateRecord;
}

/** Values as accepted when writing each bucket. */
export interface BucketInputs {
  resources: ResourceRecord;
  derived: ResourceRecord;
  endpoints: EndpointSliceInput;
  ir: GatewayIR | IrRecord;
  status: StatusRecord;
  "ingress-status": StatusRecord;
  certs: CertificateRecord;
}

export type BucketName = keyof BucketValues;

export interface BucketSpec {
  /** JetStream KV bucket name (its stream is KV_<bucket>). */
  bucket: string;
  /** The only service allowed to write it. */
  writer: string;
  readers: readonly string[];
  /** Values kept per key: 1, the bus is "latest state", not a log. */
  history: number;
  description: string;
}

export const BUCKETS: { readonly [B in BucketName]: BucketSpec } = {
  resources: {
    bucket: "resources",
    writer: "watcher",
    readers: ["translator", "ingress-converter", "cert-manager"],
    history: 1,
    description: "Kubernetes objects (Gateway API, Services, Secrets, ...) by kind.namespace.name",
  },
  endpoints: {
    bucket: "endpoints",
    writer: "watcher",
    readers: ["xds-server"],
    history: 1,
    description: "EndpointSlices by EndpointSlice.namespace.name (the fast path)",
  },
  derived: {
    bucket: "derived",
    writer: "ingress-converter",
    readers: ["translator"],
    history: 1,
    description: "Gateway API objects derived from Ingresses",
  },
  ir: {
    bucket: "ir",
    writer: "translator",
    readers: ["xds-server"],
    history: 1,
    description: "IR per Gateway by Gateway.namespace.name",
  },
  status: {
    bucket: "status",
    writer: "translator",
    // The ingress-converter reads Gateway statuses for the addresses it puts on Ingresses.
    readers: ["watcher", "ingress-converter"],
    history: 1,
    description: "Status each object should have, by kind.namespace.name",
  },
  "ingress-status": {
    bucket: "ingress-status",
    writer: "ingress-converter",
    readers: ["watcher"],
    history: 1,
    // Its own bucket: `status` has one writer, the translator.
    description: "Status each converted Ingress should have (its Gateway's addresses), by Ingress.namespace.name",
  },
  certs: {
    bucket: "certs",
    writer: "cert-manager",
    readers: ["xds-server"],
    history: 1,
    description: "Certificates and trust bundles (never keys)",
  },
};

/** Stream names and subjects. */
export const XDS_EVENTS_STREAM = "xds-events";
export const XDS_EVENTS_SUBJECT_PREFIX = "gatehouse.xds-events";
export const DEAD_LETTER_STREAM = "deadletter";
export const DEAD_LETTER_SUBJECT_PREFIX = "gatehouse.deadletter";

/** Subject an undecodable value of a bucket is moved to. */
export function deadLetterSubject(bucket: string): string {
  return `${DEAD_LETTER_SUBJECT_PREFIX}.${bucket}`;
}

const HOUR_NS = 3600 * 1e9;

export interface StreamSpec {
  writer: string;
  readers: readonly string[];
  config: Partial<StreamConfig> & { name: string; subjects: string[] };
}

export const STREAMS: Readonly<Record<string, StreamSpec>> = {
  [XDS_EVENTS_STREAM]: {
    writer: "xds-server",
    readers: ["translator"],
    config: {
      name: XDS_EVENTS_STREAM,
      description: "ACK/NACK/connect events of every proxy, by Gateway",
      subjects: [`${XDS_EVENTS_SUBJECT_PREFIX}.>`],
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      storage: StorageType.File,
      // Events matter while they are fresh: the translator rebuilds proxy status from the
      // last day, and a proxy repeats its state on every push anyway.
      max_age: 24 * HOUR_NS,
      max_msgs: 1_000_000,
      max_bytes: 256 * 1024 * 1024,
      max_msgs_per_subject: 10_000,
    },
  },
  [DEAD_LETTER_STREAM]: {
    writer: "any consumer",
    readers: ["operators"],
    config: {
      name: DEAD_LETTER_STREAM,
      description: "Values consumers could not decode, with the bucket, key and error in headers",
      subjects: [`${DEAD_LETTER_SUBJECT_PREFIX}.>`],
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      storage: StorageType.File,
      max_age: 7 * 24 * HOUR_NS,
      max_msgs: 100_000,
      max_bytes: 512 * 1024 * 1024,
    },
  },
};

const codecs: Partial<Record<BucketName, unknown>> = {};
const codecFactories: { [B in BucketName]: () => Codec<BucketValues[B], BucketInputs[B]> } = {
  resources: resourceCodec,
  derived: resourceCodec,
  endpoints: endpointSliceCodec,
  ir: irCodec,
  status: statusCodec,
  "ingress-status": statusCodec,
  certs: certificateCodec,
};

/** The codec of a bucket's values (created once; loads the protos on first use). */
export function bucketCodec<B extends BucketName>(bucket: B): Codec<BucketValues[B], BucketInputs[B]> {
  return (codecs[bucket] ??= codecFactories[bucket]()) as Codec<BucketValues[B], BucketInputs[B]>;
}

let xdsCodec: Codec<XdsEvent> | undefined;
export function xdsEventsCodec(): Codec<XdsEvent> {
  return (xdsCodec ??= xdsEventCodec());
}

export interface EnsureBusOptions {
  /** Stream replicas (1 standalone, 3 in a NATS cluster). */
  replicas?: number;
}

/**
 * Creates every bucket and stream, or brings existing ones to the declared configuration.
 * Safe to call from every service at start, concurrently.
 */
export async function ensureBus(nc: NatsConnection, opts: EnsureBusOptions = {}): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const replicas = opts.replicas ?? 1;
  for (const spec of Object.values(BUCKETS)) {
    const stream = `KV_${spec.bucket}`;
    const existing = await streamInfo(jsm, stream);
    if (!existing) {
      try {
        await nc.jetstream().views.kv(spec.bucket, {
          history: spec.history,
          description: spec.description,
          replicas,
          storage: StorageType.File,
        });
        continue;
      } catch (err) {
        // Another service created it between our look and our create: fall through to update.
        if (!(await streamInfo(jsm, stream))) throw err;
      }
    }
    const info = (await streamInfo(jsm, stream))!;
    if (info.max_msgs_per_subject !== spec.history || info.description !== spec.description) {
      await jsm.streams.update(stream, { ...info, max_msgs_per_subject: spec.history, description: spec.description });
    }
  }
  for (const spec of Object.values(STREAMS)) {
    const wanted = { ...spec.config, num_replicas: replicas };
    const existing = await streamInfo(jsm, wanted.name);
    if (!existing) {
      try {
        await jsm.streams.add(wanted);
        continue;
      } catch (err) {
        if (!(await streamInfo(jsm, wanted.name))) throw err;
      }
    }
    const info = (await streamInfo(jsm, wanted.name))!;
    const differs = (Object.keys(wanted) as (keyof StreamConfig)[]).some(
      (k) => JSON.stringify(info[k]) !== JSON.stringify(wanted[k]),
    );
    if (differs) await jsm.streams.update(wanted.name, { ...info, ...wanted });
  }
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (err) {
    if ((err as Error).message === "stream not found") return undefined;
    throw err;
  }
}
