// A codec turns one bucket's values into bytes and back. Every payload is a protobuf
// message from proto/gatehouse/bus/v1 whose first field is schema_version; the message
// types are generated from those files (src/gen, protoc-gen-es: `npm run generate`).
// Decoding checks the version and turns every failure into a DecodeError, which consumers
// move to the dead letter.
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";

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

/** A generated bus message schema: every bus payload starts with schema_version. */
type VersionedSchema = DescMessage & { readonly typeName: string };
/** The fields of a message to encode: everything but the version, which the envelope sets. */
export type EnvelopeFields<Desc extends VersionedSchema> = Omit<MessageInitShape<Desc>, "schemaVersion" | "$typeName">;

/** Encodes and decodes one generated message type, setting and checking its schema_version. */
export class ProtoMessage<Desc extends VersionedSchema> {
  constructor(
    readonly schema: Desc,
    readonly schemaVersion: number,
  ) {}

  get fullName(): string {
    return this.schema.typeName;
  }

  encode(fields: EnvelopeFields<Desc>): Uint8Array {
    const init = { ...fields, schemaVersion: this.schemaVersion } as unknown as MessageInitShape<Desc>;
    return toBinary(this.schema, create(this.schema, init));
  }

  decode(bytes: Uint8Array): MessageShape<Desc> {
    let message: MessageShape<Desc>;
    try {
      message = fromBinary(this.schema, bytes);
    } catch (err) {
      throw new DecodeError(`not a ${this.fullName}: ${(err as Error).message}`);
    }
    this.checkVersion((message as { schemaVersion?: number }).schemaVersion ?? 0);
    return message;
  }

  /** Throws the DecodeError for a schema_version this reader does not know (0: none). */
  checkVersion(version: number): void {
    if (version === this.schemaVersion) return;
    throw new DecodeError(
      version === 0
        ? `${this.fullName} without schema_version (not a bus payload?)`
        : `${this.fullName} schema_version ${String(version)} is not supported (this reader knows ${this.schemaVersion})`,
    );
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
