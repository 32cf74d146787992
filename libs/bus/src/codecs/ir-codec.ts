// `ir`: the IR of one Gateway. A protobuf envelope (schema version, gateway key, content
// hash) around the IR as canonical JSON; see proto/gatehouse/bus/v1/ir.proto for why the
// IR itself stays JSON. The hash is checked on decode, so a damaged value never reaches
// the xds-server.
import { createHash } from "node:crypto";
import { canonicalJSON, contentHash, gatewayKey, IR_SCHEMA_VERSION, type GatewayIR } from "@gatehouse/ir";
import type { Codec } from "./codec";
import { GatewayIRSchema } from "../gen/gatehouse/bus/v1/ir_pb";
import { DecodeError, EncodeError, parseJSONBytes, ProtoMessage } from "./codec";

export interface IrRecord {
  /** "namespace/name" of the Gateway. */
  gatewayKey: string;
  /** sha256 (hex) of the canonical JSON of ir. */
  contentHash: string;
  ir: GatewayIR;
}

export const IR_ENVELOPE_SCHEMA_VERSION = 1;

/** The record for an IR, with its key and content hash computed. */
export function irRecord(ir: GatewayIR): IrRecord {
  return { gatewayKey: gatewayKey(ir.gateway), contentHash: contentHash(ir), ir };
}

export function irCodec(): Codec<IrRecord, GatewayIR | IrRecord> {
  const msg = new ProtoMessage(GatewayIRSchema, IR_ENVELOPE_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode(value) {
      const ir = "ir" in value && "contentHash" in value ? value.ir : (value as GatewayIR);
      if (!ir?.gateway?.name) throw new EncodeError("an IR needs gateway.namespace and gateway.name");
      const json = Buffer.from(canonicalJSON(ir), "utf8");
      return msg.encode({
        gatewayKey: gatewayKey(ir.gateway),
        contentHash: createHash("sha256").update(json).digest("hex"),
        irJson: json,
        irSchemaVersion: ir.schemaVersion,
      });
    },
    decode(bytes) {
      const p = msg.decode(bytes);
      const json = p.irJson;
      const hash = createHash("sha256").update(json).digest("hex");
      if (hash !== p.contentHash) throw new DecodeError(`IR of ${String(p.gatewayKey)}: content hash mismatch`);
      if (p.irSchemaVersion !== IR_SCHEMA_VERSION) {
        throw new DecodeError(
          `IR of ${String(p.gatewayKey)}: IR schema version ${String(p.irSchemaVersion)} is not supported (this reader knows ${IR_SCHEMA_VERSION})`,
        );
      }
      const ir = parseJSONBytes(json, "GatewayIR.ir_json") as GatewayIR;
      if (
        ir === null ||
        typeof ir !== "object" ||
        ir.schemaVersion !== IR_SCHEMA_VERSION ||
        typeof ir.gateway?.name !== "string" ||
        !Array.isArray(ir.listeners) ||
        !Array.isArray(ir.clusters)
      ) {
        throw new DecodeError(`IR of ${String(p.gatewayKey)} is not a GatewayIR`);
      }
      if (gatewayKey(ir.gateway) !== p.gatewayKey) {
        throw new DecodeError(`IR envelope for ${String(p.gatewayKey)} holds the IR of ${gatewayKey(ir.gateway)}`);
      }
      return { gatewayKey: p.gatewayKey, contentHash: hash, ir };
    },
  };
}
