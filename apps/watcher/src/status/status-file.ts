// File mode's stand-in for PATCH /status: the statuses the translator publishes are
// written to one YAML file (atomically: temporary file, then rename), so users see
// them without a cluster. In Kubernetes mode the same records become status patches.
// Each document is an object (apiVersion, kind, metadata, status) that `kubectl apply
// --server-side --subresource=status` and the gatehouse commands read back.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";

export interface StatusEntry {
  apiVersion: string;
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
      apiVersion: e.apiVersion,
      kind: e.kind,
      // The generation the status was computed for (each condition also has observedGeneration);
      // files carry none, so 0 is left out.
      metadata: { name: e.name, ...(e.namespace ? { namespace: e.namespace } : {}), ...(e.observedGeneration > 0 ? { generation: e.observedGeneration } : {}) },
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
