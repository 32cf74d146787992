// The -f inputs of `gatehouse convert` as Kubernetes objects of any kind. `translate`'s parser
// (libs/gatewayapi parseManifests) refuses kinds it does not translate, such as Ingress, so
// this reads the documents itself; it is the one place to switch to the shared manifest
// parser when there is one (issue #10).
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "@gatehouse/gatewayapi";
import { readManifestInputs } from "./manifest-input";

export interface KubeObjects {
  objects: KubeObject[];
  /** Unreadable paths and broken documents, each naming its file and document. */
  errors: string[];
}

export async function readKubeObjects(paths: string[]): Promise<KubeObjects> {
  const inputs = await readManifestInputs(paths);
  const out: KubeObjects = { objects: [], errors: [...inputs.errors] };
  for (const file of inputs.files) {
    parseAllDocuments(file.text, { prettyErrors: false, uniqueKeys: false }).forEach((doc, index) => {
      const where = `${file.name}#${index}`;
      if (doc.errors.length > 0) {
        out.errors.push(`${where}: malformed YAML: ${doc.errors[0].message.split("\n")[0]}`);
        return;
      }
      const value: unknown = doc.toJS({ maxAliasCount: 100 });
      if (value === null || value === undefined) return;
      const items = isObject(value) && String(value.kind ?? "").endsWith("List") && Array.isArray(value.items) ? value.items : [value];
      for (const item of items) {
        if (!isObject(item) || typeof item.kind !== "string" || typeof item.apiVersion !== "string" || !isObject(item.metadata) || typeof item.metadata.name !== "string") {
          out.errors.push(`${where}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
          continue;
        }
        out.objects.push(item as KubeObject);
      }
    });
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
