// File mode's stand-in for PATCH /status: the statuses the translator publishes are
// written to one YAML file (atomically: temporary file, then rename), so users see
// them without a cluster. In Kubernetes mode the same records become status patches.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";

export interface StatusEntry {
  kind: string;
  namespace: string;
  name: string;
  observedGeneration: number;
  status: unknown;
}

export function renderStatusFile(entries: Iterable<StatusEntry>): string {
  const sorted = [...entries].sort((a, b) =>
    `${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.kind}/${b.namespace}/${b.name}`),
  );
  const docs = sorted.map((e) =>
    stringify({
      kind: e.kind,
      metadata: e.namespace ? { name: e.name, namespace: e.namespace } : { name: e.name },
      observedGeneration: e.observedGeneration,
      status: e.status,
    }),
  );
  return docs.length === 0 ? "# no statuses yet\n" : docs.join("---\n");
}

export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
