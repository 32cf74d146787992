// `xds-events`: what each proxy did with what it was sent (ACK, NACK, connect, disconnect).
import type { Codec } from "./codec";
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
  const msg = new ProtoMessage("XdsEvent", XDS_EVENT_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode: (e) => msg.encode({ ...e }),
    decode(bytes) {
      const p = msg.decode(bytes);
      const kind = p.kind as XdsEventKind;
      if (!KINDS.includes(kind)) throw new DecodeError(`XdsEvent of unknown kind ${String(p.kind)}`);
      return {
        nodeId: String(p.nodeId),
        gatewayKey: String(p.gatewayKey),
        typeUrl: String(p.typeUrl),
        version: String(p.version),
        nonce: String(p.nonce),
        kind,
        errorDetail: String(p.errorDetail),
        timeUnixMs: Number(p.timeUnixMs),
        serverId: String(p.serverId),
      };
    },
  };
}
