// The one manifest parser: multi-document YAML (or JSON) from a file or stdin to Kubernetes
// objects, used by the watcher's file provider, `gatehouse translate` and the e2e reference,
// so they can never read the same folder differently. The rules (see README.md):
//   - a file is valid or not as a whole: one broken document (bad YAML, a duplicate key, not
//     an object, no apiVersion/kind, a bad name) makes the file an error naming file and line,
//     and none of its objects are used, so a half-saved file never withdraws what its other
//     documents define;
//   - kinds Gatehouse does not handle (not in KINDS) are skipped and returned as notes;
//   - `kind: List` (and `<Kind>List`) documents are expanded;
//   - namespaced objects without a namespace get "default", cluster-scoped ones lose theirs;
//   - managedFields and the last-applied-configuration annotation are stripped.
// Duplicates across documents and files are resolved by manifest-set.ts.
import { LineCounter, parseAllDocuments, type Document } from "yaml";
import { isClusterScoped, kindInfo } from "./kinds";
import { apiGroup, type KubeObject } from "./kube-object";
import { stripNoise } from "./noise";

export interface ManifestError {
  /** File name, or "-" for stdin. */
  source: string;
  /** 1-based line the problem is on (the document or item start when the problem is the object as a whole). */
  line: number;
  message: string;
}

/** An object of a kind Gatehouse does not handle; it is left out, not an error. */
export interface SkippedObject {
  apiVersion: string;
  kind: string;
  name: string;
  source: string;
}

export type ParsedManifest =
  | { ok: true; objects: KubeObject[]; skipped: SkippedObject[]; /** No document at all (empty or only comments). */ empty: boolean }
  | { ok: false; error: ManifestError };

/** Names must be DNS subdomains (RFC 1123); that also keeps them free of "/" for object ids. */
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function formatManifestError(e: ManifestError): string {
  return `${e.source}:${e.line}: ${e.message}`;
}

export function parseManifest(text: string, source: string): ParsedManifest {
  const lines = new LineCounter();
  const fail = (offset: number, message: string): ParsedManifest => ({ ok: false, error: { source, line: lines.linePos(offset).line, message } });
  // uniqueKeys: a key written twice is an error (as kubectl says), never "last one wins" silently.
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // A stream that failed to tokenise comes back as an EmptyStream carrying the errors.
    const errors = (docs as { errors?: { message: string; pos: [number, number] }[] }).errors ?? [];
    if (errors.length > 0) return fail(errors[0].pos[0], yamlMessage(errors[0].message, text, errors[0].pos[0], ""));
  }
  const objects: KubeObject[] = [];
  const skipped: SkippedObject[] = [];
  let documents = 0;
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      return fail(e.pos[0], yamlMessage(e.message, text, e.pos[0], e.code));
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      return fail(doc.range[0], `malformed YAML: ${(err as Error).message}`);
    }
    if (value === null || value === undefined) continue; // empty document, e.g. a trailing "---"
    documents++;
    const start = documentStart(doc);
    if (isMapping(value) && typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
      for (const [i, item] of value.items.entries()) {
        const at = nodeStart(doc, ["items", i]) ?? start;
        const problem = addObject(item, source, objects, skipped);
        if (problem) return fail(at, `${value.kind} item ${i + 1}: ${problem}`);
      }
      continue;
    }
    const problem = addObject(value, source, objects, skipped);
    if (problem) return fail(start, problem);
  }
  return { ok: true, objects, skipped, empty: documents === 0 };
}

/** Checks one object and files it under objects or skipped; returns what is wrong with it. */
function addObject(value: unknown, source: string, objects: KubeObject[], skipped: SkippedObject[]): string | undefined {
  if (!isMapping(value)) return "not a Kubernetes object (expected a mapping)";
  if (typeof value.apiVersion !== "string" || value.apiVersion === "") return "missing apiVersion";
  if (typeof value.kind !== "string" || value.kind === "") return "missing kind";
  const meta = value.metadata;
  const name = isMapping(meta) && typeof meta.name === "string" ? meta.name : "";
  if (!kindInfo(apiGroup(value.apiVersion), value.kind)) {
    skipped.push({ apiVersion: value.apiVersion, kind: value.kind, name, source });
    return undefined;
  }
  if (!isMapping(meta)) return `${value.kind}: missing metadata`;
  if (!NAME.test(name)) return `${value.kind}: invalid metadata.name ${JSON.stringify(meta.name)} (lower case letters, digits, '-' and '.')`;
  if (meta.namespace !== undefined && (typeof meta.namespace !== "string" || !NAME.test(meta.namespace))) {
    return `${value.kind}/${name}: invalid metadata.namespace ${JSON.stringify(meta.namespace)}`;
  }
  objects.push(withDefaultNamespace(stripNoise(value as KubeObject)));
  return undefined;
}

/** Fills in what the API server would: the namespace of namespaced objects; drops it from cluster-scoped ones. */
export function withDefaultNamespace(obj: KubeObject): KubeObject {
  if (isClusterScoped(obj.kind)) {
    if (obj.metadata.namespace === undefined) return obj;
    const { namespace: _ignored, ...metadata } = obj.metadata;
    return { ...obj, metadata };
  }
  if (obj.metadata.namespace) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace: "default" } };
}

/** The yaml package's message without its own position and code excerpt (we give file:line). */
function yamlMessage(message: string, text: string, offset: number, code: string): string {
  if (code === "DUPLICATE_KEY") {
    const key = /^\s*("[^"]*"|'[^']*'|[^:\n]*)/.exec(text.slice(offset))?.[1]?.trim() ?? "";
    return `duplicate key ${JSON.stringify(key.replace(/^["']|["']$/g, ""))}`;
  }
  const first = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  return `malformed YAML: ${first}`;
}

function documentStart(doc: Document.Parsed): number {
  return doc.contents?.range?.[0] ?? doc.range[0];
}

function nodeStart(doc: Document.Parsed, path: (string | number)[]): number | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range?.[0];
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
