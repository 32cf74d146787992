// A codec turns one bucket's values into bytes and back. Every payload is a protobuf
// message from proto/gatehouse/bus/v1 whose first field is schema_version; decoding checks
// it and turns every failure into a DecodeError, which consumers move to the dead letter.
import type protobuf from "protobufjs";
import { busMessageType } from "../proto-root";

export interface Codec<T, In = T> {
  /** Fully qualified protobuf message name, for logs and dead letters. */
  readonly messageType: string;
  /** Throws EncodeError for a value that must never be published (a caller bug). */
  encode(value: In): Uint8Array;
  /** Throws DecodeError when the bytes are not a value this codec understands. */
  decode(bytes: Uint8Array): T;
}

/** Bytes on the bus that are not a valid payload: a producer bug or a newer schema. */
export class DecodeError extends Error {
  override name = "DecodeError";
}

/** A value the caller should never have tried to publish (a bug, not user input). */
export class EncodeError extends Error {
  override name = "EncodeError";
}

/** Plain object view of a message: camelCase fields, int64 as number, enums as names. */
export type Plain = Record<string, unknown>;

/** Encodes and decodes one message type, checking its schema_version. */
export class ProtoMessage {
  readonly type: protobuf.Type;

  constructor(
    readonly name: string,
    readonly schemaVersion: number,
  ) {
    this.type = busMessageType(name);
  }

  get fullName(): string {
    return this.type.fullName.replace(/^\./, "");
  }

  encode(fields: Plain): Uint8Array {
    const message = this.type.fromObject({ ...fields, schemaVersion: this.schemaVersion });
    return this.type.encode(message).finish();
  }

  decode(bytes: Uint8Array): Plain {
    let message: protobuf.Message;
    try {
      message = this.type.decode(bytes);
    } catch (err) {
      throw new DecodeError(`not a ${this.fullName}: ${(err as Error).message}`);
    }
    const plain = this.type.toObject(message, { longs: Number, enums: String, defaults: true });
    const version = plain.schemaVersion;
    if (version !== this.schemaVersion) {
      throw new DecodeError(
        version === 0
          ? `${this.fullName} without schema_version (not a bus payload?)`
          : `${this.fullName} schema_version ${String(version)} is not supported (this reader knows ${this.schemaVersion})`,
      );
    }
    return plain;
  }
}

export function parseJSONBytes(bytes: unknown, what: string): unknown {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError(`${what} missing`);
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (err) {
    throw new DecodeError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value) ?? "null", "utf8");
}
