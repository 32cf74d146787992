// The -f inputs of `gatehouse convert` as Kubernetes objects, through the one manifest parser
// (libs/kube) that `translate` and the watcher use: same rules for broken files, duplicates
// and kinds Gatehouse does not handle.
import { collectManifests, formatManifestError, readManifestInputs, type KubeObject } from "@gatehouse/kube";

export interface KubeObjects {
  objects: KubeObject[];
  /** Unreadable paths and broken files, each naming its file and line. */
  errors: string[];
}

export async function readKubeObjects(paths: string[]): Promise<KubeObjects> {
  const inputs = await readManifestInputs(paths);
  const set = collectManifests(inputs.files);
  return { objects: set.objects, errors: [...inputs.errors, ...set.errors.map(formatManifestError)] };
}
