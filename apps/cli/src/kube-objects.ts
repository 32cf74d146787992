// The -f inputs of `gatehouse translate`, `explain` and `convert` as Kubernetes objects,
// through the one manifest parser (libs/kube) that the watcher uses too: same rules for
// broken files, duplicates and kinds Gatehouse does not handle.
import { collectManifests, formatDuplicate, formatManifestError, formatSkippedKind, readManifestInputs, type KubeObject } from "@gatehouse/kube";

export interface KubeObjects {
  objects: KubeObject[];
  /** Unreadable paths and broken files, each naming its file and line. */
  errors: string[];
  /** Kinds skipped and objects defined twice (the last definition is used): worth a line, not a failure. */
  notes: string[];
  /** No object, no error and no skipped kind: the input holds nothing at all. */
  nothing: boolean;
}

export async function readKubeObjects(paths: string[]): Promise<KubeObjects> {
  const inputs = await readManifestInputs(paths);
  const set = collectManifests(inputs.files);
  const errors = [...inputs.errors, ...set.errors.map(formatManifestError)];
  return {
    objects: set.objects,
    errors,
    notes: [...set.skipped.map(formatSkippedKind), ...set.duplicates.map(formatDuplicate)],
    nothing: errors.length === 0 && set.objects.length === 0 && set.skipped.length === 0,
  };
}
