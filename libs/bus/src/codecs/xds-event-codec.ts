// `xds-events`: what each proxy did with what it was sent (ACK, NACK, connect, disconnect).
import type { Codec } from "./codec";
import { XdsEvent_Kind, XdsEventSchema } from "../gen/gatehouse/bus/v1/xds_events_pb";
import { DecodeError, ProtoMessage } from "./codec";

export type XdsEventKind = "ACK" | "NACK" | "CONNECTED" | "DISCONNECTED";

export interface XdsEvent {
  nodeId: string;
  /** "namespace/name" of the proxy's Gateway. */
  gatewayKey: string;
  typeUrl: string;
  version: string;
  nonce: string;
  kind: XdsEventKind;
  /** Envoy's error_detail message of a NACK; "" otherwise. */
  errorDetail: string;
  timeUnixMs: number;
  serverId: string;
}

export const XDS_EVENT_SCHEMA_VERSION = 1;
const KINDS: readonly XdsEventKind[] = ["ACK", "NACK", "CONNECTED", "DISCONNECTED"];

export function xdsEventCodec(): Codec<XdsEvent> {
  const msg = new ProtoMessage(XdsEventSchema, XDS_EVENT_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode: (e) => msg.encode({ ...e, kind: XdsEvent_Kind[e.kind], timeUnixMs: BigInt(e.timeUnixMs) }),
    decode(bytes) {
      const p = msg.decode(bytes);
      const kind = XdsEvent_Kind[p.kind] as XdsEventKind | undefined;
      if (!kind || !KINDS.includes(kind)) throw new DecodeError(`XdsEvent of unknown kind ${kind ?? p.kind}`);
      return {
        nodeId: p.nodeId,
        gatewayKey: p.gatewayKey,
        typeUrl: p.typeUrl,
        version: p.version,
        nonce: p.nonce,
        kind,
        errorDetail: p.errorDetail,
        timeUnixMs: Number(p.timeUnixMs),
        serverId: p.serverId,
      };
    },
  };
}
