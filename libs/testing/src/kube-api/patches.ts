// The three patch formats of the Kubernetes API on plain JSON: JSON merge patch (RFC 7386),
// JSON patch (RFC 6902) and the merge that server-side apply performs. Apply here merges the
// applied configuration into the live object (maps merged, lists and scalars replaced); it does
// not track field ownership, so it neither removes fields a manager stopped applying nor
// reports conflicts between managers.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export class PatchError extends Error {}

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k] ?? null, v);
  }
  return out;
}

/** Server-side apply's effect on the live object: like a merge patch, but null is a value. */
export function applyConfiguration(live: Json, applied: Json): Json {
  if (!isObject(applied) || !isObject(live)) return structuredClone(applied);
  const out: JsonObject = { ...live };
  for (const [k, v] of Object.entries(applied)) out[k] = k in out ? applyConfiguration(out[k], v) : structuredClone(v);
  return out;
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

/** RFC 6902; a failed `test` or a missing path is an error (the API answers 422). */
export function applyJsonPatch(doc: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw new PatchError("a JSON patch is an array of operations");
  let out = structuredClone(doc);
  for (const op of ops as JsonPatchOp[]) {
    switch (op.op) {
      case "add":
        out = put(out, pointer(op.path), structuredClone(op.value ?? null), "add");
        break;
      case "replace":
        get(out, pointer(op.path));
        out = put(out, pointer(op.path), structuredClone(op.value ?? null), "replace");
        break;
      case "remove":
        out = remove(out, pointer(op.path));
        break;
      case "move": {
        const v = get(out, pointer(op.from ?? ""));
        out = put(remove(out, pointer(op.from ?? "")), pointer(op.path), v, "add");
        break;
      }
      case "copy":
        out = put(out, pointer(op.path), structuredClone(get(out, pointer(op.from ?? ""))), "add");
        break;
      case "test":
        if (JSON.stringify(get(out, pointer(op.path))) !== JSON.stringify(op.value)) {
          throw new PatchError(`test failed at ${op.path}`);
        }
        break;
      default:
        throw new PatchError(`unknown JSON patch operation ${JSON.stringify(op.op)}`);
    }
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function get(doc: Json, path: string[]): Json {
  let cur: Json = doc;
  for (const key of path) {
    if (Array.isArray(cur) && /^\d+$/.test(key) && Number(key) < cur.length) cur = cur[Number(key)];
    else if (isObject(cur) && key in cur) cur = cur[key];
    else throw new PatchError(`path not found: /${path.join("/")}`);
  }
  return cur;
}

function put(doc: Json, path: string[], value: Json, mode: "add" | "replace"): Json {
  if (path.length === 0) return value;
  const parent = get(doc, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    const idx = key === "-" ? parent.length : Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length) throw new PatchError(`bad array index ${key}`);
    if (mode === "add") parent.splice(idx, 0, value);
    else parent[idx] = value;
  } else if (isObject(parent)) {
    parent[key] = value;
  } else {
    throw new PatchError(`cannot set a field of a scalar at /${path.join("/")}`);
  }
  return doc;
}

function remove(doc: Json, path: string[]): Json {
  get(doc, path);
  const parent = get(doc, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete (parent as JsonObject)[key];
  return doc;
}
