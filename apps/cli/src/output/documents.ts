// Kubernetes objects as the CLI prints them: a YAML stream, or JSON (one object, or a List).
import { stringify } from "yaml";

export function renderDocuments(docs: unknown[], format: "yaml" | "json"): string {
  if (format === "json") return JSON.stringify(docs.length === 1 ? docs[0] : { apiVersion: "v1", kind: "List", items: docs }, null, 2) + "\n";
  return yamlStream(docs);
}

/** One YAML document per item. */
export function yamlStream(docs: unknown[]): string {
  // YAML 1.1 quoting ("on", "yes", "no" stay strings) so kubectl and other 1.1 parsers read it back.
  return docs.map((d) => `---\n${stringify(d, { lineWidth: 0, version: "1.1", aliasDuplicateObjects: false })}`).join("");
}
