// Bus keys for Kubernetes objects: `kind.namespace.name`, one NATS token per part. NATS KV
// keys allow only [-/_=.a-zA-Z0-9] and dots separate tokens, while Kubernetes names hold
// dots (and other input may hold anything), so each part is escaped reversibly: letters,
// digits and '-' stay as they are, every other byte of its UTF-8 form becomes `_XX`
// (uppercase hex), and an empty part (cluster-scoped objects) is a lone `_`.

export interface ObjectKey {
  kind: string;
  /** "" (or absent) for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

/** Thrown for keys that are not `kind.namespace.name` in the encoding below. */
export class KeyError extends Error {
  override name = "KeyError";
}

const PLAIN = /^[A-Za-z0-9-]$/;
const EMPTY = "_";

/** Escapes one key part so it is a single valid NATS token. */
export function encodeKeyPart(part: string): string {
  if (part === "") return EMPTY;
  let out = "";
  for (const ch of part) {
    if (PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, "utf8")) out += "_" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Reverses encodeKeyPart; throws KeyError for a token it could not have produced. */
export function decodeKeyPart(token: string): string {
  if (token === EMPTY) return "";
  if (token === "") throw new KeyError("empty key token (an empty part is encoded as _)");
  const bytes: number[] = [];
  for (let i = 0; i < token.length; ) {
    const ch = token[i];
    if (ch === "_") {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) throw new KeyError(`bad escape at ${i} in key token ${JSON.stringify(token)}`);
      const byte = parseInt(hex, 16);
      // A plain character escaped would make two encodings of one name.
      if (PLAIN.test(String.fromCharCode(byte))) throw new KeyError(`needless escape _${hex} in key token ${JSON.stringify(token)}`);
      bytes.push(byte);
      i += 3;
    } else if (PLAIN.test(ch)) {
      bytes.push(ch.charCodeAt(0));
      i += 1;
    } else {
      throw new KeyError(`character ${JSON.stringify(ch)} not allowed in key token ${JSON.stringify(token)}`);
    }
  }
  const text = Buffer.from(bytes).toString("utf8");
  if (Buffer.from(text, "utf8").length !== bytes.length || text.includes("\uFFFD")) {
    throw new KeyError(`key token ${JSON.stringify(token)} is not valid UTF-8`);
  }
  return text;
}

/** `kind.namespace.name`, escaped; the key of an object in every bucket. */
export function encodeKey(key: ObjectKey): string {
  if (!key.kind) throw new KeyError("key needs a kind");
  if (!key.name) throw new KeyError(`key of ${key.kind} needs a name`);
  return `${encodeKeyPart(key.kind)}.${encodeKeyPart(key.namespace ?? "")}.${encodeKeyPart(key.name)}`;
}

/** Reverses encodeKey. Cluster-scoped objects come back with namespace "". */
export function decodeKey(key: string): Required<ObjectKey> {
  const tokens = key.split(".");
  if (tokens.length !== 3) throw new KeyError(`key ${JSON.stringify(key)} is not kind.namespace.name`);
  const [kind, namespace, name] = tokens.map(decodeKeyPart);
  if (!kind || !name) throw new KeyError(`key ${JSON.stringify(key)} has an empty kind or name`);
  return { kind, namespace, name };
}

/** True for keys that encodeKey produces (chunk keys and foreign keys are not). */
export function isObjectKey(key: string): boolean {
  try {
    decodeKey(key);
    return true;
  } catch {
    return false;
  }
}

/** The key of a Gateway's entries in `ir` (and of its proxies' events). */
export function gatewayBusKey(ref: { namespace: string; name: string }): string {
  return encodeKey({ kind: "Gateway", namespace: ref.namespace, name: ref.name });
}

/** Every object key: what a consumer watches by default (chunk keys have more tokens). */
export const ALL_OBJECT_KEYS = "*.*.*";

/**
 * A KV/subject filter selecting keys: all objects of a kind, of a kind in one namespace, or
 * one object. Parts left out match anything; namespace "" selects cluster-scoped objects.
 */
export function keyFilter(sel: { kind?: string; namespace?: string; name?: string } = {}): string {
  const part = (v: string | undefined) => (v === undefined ? "*" : encodeKeyPart(v));
  if (sel.kind === "") throw new KeyError("key filter with an empty kind matches nothing");
  return `${part(sel.kind)}.${part(sel.namespace)}.${part(sel.name)}`;
}
