// `status`: the status an object should have, as JSON, with the generation it reflects.
import type { Codec } from "./codec";
import { StatusSchema } from "../gen/gatehouse/bus/v1/status_pb";
import { DecodeError, EncodeError, jsonBytes, parseJSONBytes, ProtoMessage } from "./codec";

export interface ObjectRef {
  group: string;
  kind: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
}

export interface StatusRecord {
  ref: ObjectRef;
  observedGeneration: number;
  /** The object's .status (for example { conditions: [...] } or { parents: [...] }). */
  status: unknown;
}

export const STATUS_SCHEMA_VERSION = 1;

export function statusCodec(): Codec<StatusRecord> {
  const msg = new ProtoMessage(StatusSchema, STATUS_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode({ ref, observedGeneration, status }) {
      if (!ref?.kind || !ref.name) throw new EncodeError("a status needs ref.kind and ref.name");
      return msg.encode({ ref: { ...ref }, observedGeneration: BigInt(observedGeneration), statusJson: jsonBytes(status) });
    },
    decode(bytes) {
      const p = msg.decode(bytes);
      const ref = p.ref;
      if (!ref?.kind || !ref.name) throw new DecodeError("Status without an object reference");
      return {
        ref: { group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name },
        observedGeneration: Number(p.observedGeneration),
        status: parseJSONBytes(p.statusJson, "Status.status_json"),
      };
    },
  };
}
