// google.protobuf.Any: type URLs to loaded types, and the message an Any was packed from.
// fromJSON packs each Any once; remembering the unpacked message lets the validator and
// toJSON look inside typed_config without decoding the bytes again.
import protobuf from "protobufjs";
import { envoyProtos } from "./envoy-protos";

export interface AnyMessage {
  type_url?: string;
  value?: Uint8Array;
}

const unpacked = new WeakMap<object, protobuf.Message>();
const typeCache = new Map<string, protobuf.Type | null>();

/** The type an Any's URL names (any host prefix, as protobuf allows), or null when no such type is loaded. */
export function typeForUrl(typeUrl: string): protobuf.Type | null {
  let cached = typeCache.get(typeUrl);
  if (cached !== undefined) return cached;
  const name = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
  cached = null;
  if (name !== "" && /^[A-Za-z_][\w.]*$/.test(name)) {
    const found = envoyProtos().lookup(`.${name}`);
    if (found instanceof protobuf.Type) cached = found;
  }
  typeCache.set(typeUrl, cached);
  return cached;
}

export function rememberUnpacked(any: object, inner: protobuf.Message): void {
  unpacked.set(any, inner);
}

/**
 * The message inside an Any, with its type. Undefined type means the URL names no loaded
 * type; a decode failure is thrown (the bytes do not match the type the URL names).
 */
export function unpackAny(any: AnyMessage): { type: protobuf.Type | null; message: protobuf.Message | null } {
  const type = typeForUrl(any.type_url ?? "");
  if (!type) return { type: null, message: null };
  const known = unpacked.get(any);
  if (known) return { type, message: known };
  const message = type.decode(any.value ?? new Uint8Array(0));
  unpacked.set(any, message);
  return { type, message };
}
