// `endpoints`: EndpointSlices as typed, compact messages (the hot path). Decoding gives
// the discovery.k8s.io/v1 shape that libs/endpoints reads, so a slice goes from the
// watcher to the xds-server without a translation step of its own.
import type { Codec, Plain } from "./codec";
import { DecodeError, EncodeError, ProtoMessage } from "./codec";

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

const TO_PROTO: Record<string, string> = { IPv4: "IPV4", IPv6: "IPV6", FQDN: "FQDN" };
const FROM_PROTO: Record<string, BusEndpointSlice["addressType"]> = { IPV4: "IPv4", IPV6: "IPv6", FQDN: "FQDN" };

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
const nonEmpty = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function endpointSliceCodec(): Codec<BusEndpointSlice, EndpointSliceInput> {
  const msg = new ProtoMessage("EndpointSlice", ENDPOINT_SLICE_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode(slice: EndpointSliceInput) {
      const addressType = TO_PROTO[slice.addressType];
      if (!addressType) throw new EncodeError(`EndpointSlice ${slice.metadata?.name}: unknown addressType ${slice.addressType}`);
      return msg.encode({
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
      });
    },
    decode(bytes) {
      const p = msg.decode(bytes);
      const addressType = FROM_PROTO[String(p.addressType)];
      if (!addressType) throw new DecodeError(`EndpointSlice ${String(p.name)}: address type ${String(p.addressType)}`);
      const labels: Record<string, string> = {};
      if (p.serviceName) labels[SERVICE_NAME_LABEL] = String(p.serviceName);
      return {
        metadata: {
          namespace: String(p.namespace),
          name: String(p.name),
          labels,
          ...(p.resourceVersion ? { resourceVersion: String(p.resourceVersion) } : {}),
        },
        addressType,
        endpoints: (p.endpoints as Plain[]).map((e) => {
          const conditions: BusEndpointSlice["endpoints"][number]["conditions"] = {};
          for (const c of ["ready", "serving", "terminating"] as const) if (typeof e[c] === "boolean") conditions[c] = e[c] as boolean;
          const targetKind = nonEmpty(e.targetKind);
          const targetName = nonEmpty(e.targetName);
          return {
            addresses: (e.addresses as string[]) ?? [],
            conditions,
            ...(nonEmpty(e.hostname) ? { hostname: String(e.hostname) } : {}),
            ...(nonEmpty(e.nodeName) ? { nodeName: String(e.nodeName) } : {}),
            ...(nonEmpty(e.zone) ? { zone: String(e.zone) } : {}),
            ...(targetKind || targetName ? { targetRef: { kind: targetKind, name: targetName } } : {}),
          };
        }),
        ports: (p.ports as Plain[]).map((port) => ({
          ...(nonEmpty(port.name) ? { name: String(port.name) } : {}),
          ...(typeof port.port === "number" ? { port: port.port } : {}),
          ...(nonEmpty(port.protocol) ? { protocol: String(port.protocol) } : {}),
          ...(nonEmpty(port.appProtocol) ? { appProtocol: String(port.appProtocol) } : {}),
        })),
      };
    },
  };
}
