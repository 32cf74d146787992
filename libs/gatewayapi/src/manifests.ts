// Multi-document Kubernetes YAML to objects. A broken document is reported with its source
// and index and skipped; the other documents are still returned, so one typo never hides
// the rest of a folder.
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "./kube-types";

export interface ManifestError {
  /** File name (or "-" for stdin) and 0-based document index, e.g. "routes.yaml#3". */
  document: string;
  message: string;
}

export interface ParsedManifests {
  objects: KubeObject[];
  errors: ManifestError[];
}

/** Kinds `translate` understands; anything else is reported as an error on its document. */
export const KNOWN_KINDS = new Set([
  "GatewayClass",
  "Gateway",
  "HTTPRoute",
  "GRPCRoute",
  "TLSRoute",
  "TCPRoute",
  "UDPRoute",
  "ReferenceGrant",
  "BackendTLSPolicy",
  "Service",
  "EndpointSlice",
  "Secret",
  "ConfigMap",
  "Namespace",
]);

export function parseManifests(text: string, source: string): ParsedManifests {
  const objects: KubeObject[] = [];
  const errors: ManifestError[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const where = `${source}#${index}`;
    if (doc.errors.length > 0) {
      errors.push({ document: where, message: `malformed YAML: ${doc.errors[0].message.split("\n")[0]}` });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      errors.push({ document: where, message: `malformed YAML: ${(err as Error).message}` });
      return;
    }
    if (value === null || value === undefined) return; // empty document, e.g. a trailing "---"
    for (const item of expandList(value)) {
      const problem = describeProblem(item);
      if (problem) errors.push({ document: describeDocument(where, item), message: problem });
      else objects.push(item as KubeObject);
    }
  });
  return { objects, errors };
}

function expandList(value: unknown): unknown[] {
  if (isObject(value) && typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
    return value.items;
  }
  return [value];
}

function describeProblem(item: unknown): string | undefined {
  if (!isObject(item)) return "document is not a Kubernetes object (expected a mapping)";
  if (typeof item.kind !== "string" || item.kind === "") return "object has no kind";
  if (typeof item.apiVersion !== "string" || item.apiVersion === "") return `${item.kind} has no apiVersion`;
  if (!KNOWN_KINDS.has(item.kind)) return `unknown kind ${item.apiVersion}/${item.kind}`;
  const meta = item.metadata;
  if (!isObject(meta) || typeof meta.name !== "string" || meta.name === "") return `${item.kind} has no metadata.name`;
  return undefined;
}

function describeDocument(where: string, item: unknown): string {
  if (!isObject(item)) return where;
  const meta = isObject(item.metadata) ? item.metadata : {};
  const name = typeof meta.name === "string" ? meta.name : "";
  const ns = typeof meta.namespace === "string" ? `${meta.namespace}/` : "";
  const kind = typeof item.kind === "string" ? item.kind : "";
  return kind || name ? `${where} (${kind} ${ns}${name})` : where;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
