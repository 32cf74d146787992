// Parses one YAML file of the watched folder into Kubernetes objects. A file is valid or
// not as a whole: one broken document makes the whole file broken, so that a half-saved
// file never withdraws the objects its other documents define.
import { parseAllDocuments } from "yaml";
import { isClusterScoped, type KubeObject } from "./kube-object";

export type ParsedFile = { ok: true; objects: KubeObject[] } | { ok: false; error: string };

/** Names must be DNS subdomains (RFC 1123); that also keeps them free of "/" for our ids. */
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function parseManifestFile(text: string, source: string): ParsedFile {
  let docs;
  try {
    docs = parseAllDocuments(text, { prettyErrors: true });
  } catch (err) {
    return { ok: false, error: `${source}: ${(err as Error).message}` };
  }
  // A stream that failed to tokenise comes back as an EmptyStream with errors.
  if (!Array.isArray(docs)) {
    const errors = (docs as { errors?: { message: string }[] }).errors ?? [];
    if (errors.length > 0) return { ok: false, error: `${source}: ${errors[0].message}` };
    return { ok: true, objects: [] };
  }
  const objects: KubeObject[] = [];
  for (const [i, doc] of docs.entries()) {
    if (doc.errors.length > 0) return { ok: false, error: `${source} (document ${i + 1}): ${doc.errors[0].message}` };
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue; // empty document, e.g. a trailing "---"
    const problem = checkObject(value);
    if (problem) return { ok: false, error: `${source} (document ${i + 1}): ${problem}` };
    const obj = value as KubeObject;
    if (obj.kind === "List" && Array.isArray(obj.items)) {
      for (const [j, item] of (obj.items as unknown[]).entries()) {
        const itemProblem = checkObject(item);
        if (itemProblem) return { ok: false, error: `${source} (document ${i + 1}, item ${j + 1}): ${itemProblem}` };
        objects.push(normalise(item as KubeObject));
      }
      continue;
    }
    objects.push(normalise(obj));
  }
  return { ok: true, objects };
}

function checkObject(value: unknown): string | undefined {
  if (typeof value !== "object" || Array.isArray(value) || value === null) return "not a Kubernetes object (expected a mapping)";
  const obj = value as Partial<KubeObject>;
  if (typeof obj.apiVersion !== "string" || obj.apiVersion === "") return "missing apiVersion";
  if (typeof obj.kind !== "string" || obj.kind === "") return "missing kind";
  if (obj.kind === "List") return Array.isArray(obj.items) ? undefined : "List without items";
  const meta = obj.metadata;
  if (typeof meta !== "object" || meta === null) return `${obj.kind}: missing metadata`;
  if (typeof meta.name !== "string" || !NAME.test(meta.name)) return `${obj.kind}: invalid metadata.name ${JSON.stringify(meta.name)}`;
  if (meta.namespace !== undefined && (typeof meta.namespace !== "string" || !NAME.test(meta.namespace))) {
    return `${obj.kind}/${meta.name}: invalid metadata.namespace ${JSON.stringify(meta.namespace)}`;
  }
  return undefined;
}

/** Fills in what the API server would: the default namespace of namespaced objects. */
function normalise(obj: KubeObject): KubeObject {
  if (isClusterScoped(obj.kind)) {
    if (obj.metadata.namespace === undefined) return obj;
    const { namespace: _ignored, ...metadata } = obj.metadata;
    return { ...obj, metadata: metadata as KubeObject["metadata"] };
  }
  if (obj.metadata.namespace) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace: "default" } };
}
