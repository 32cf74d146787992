// The -f path shared by `gatehouse translate` and `gatehouse explain`: the manifests read with
// libs/kube's parser (kube-objects.ts), then the translate-and-check the translator service
// runs. What the user should hear goes to stderr, one line each, prefixed by the command:
// unreadable or broken files, skipped kinds, duplicates, and malformed objects (translated
// as absent).
import type { ResourceSet } from "@gatehouse/gatewayapi";
import type { CheckedTranslation } from "@gatehouse/xds";
import type { IPFamily } from "@gatehouse/ir";

export interface TranslatedInputs {
  resources: ResourceSet;
  checked: CheckedTranslation;
  /** A path could not be read or a file is broken (it was left out; the rest was translated). */
  failed: boolean;
}

/** The translated inputs, or exit code 2 when they hold no Kubernetes object at all. */
export async function translateInputs(
  command: string,
  files: string[],
  opts: { controllerName: string; ipFamily: IPFamily },
): Promise<TranslatedInputs | number> {
  const [{ resourceSetFrom }, { translateAndCheck }, { readKubeObjects }] = await Promise.all([
    import("@gatehouse/gatewayapi"),
    import("@gatehouse/xds"),
    import("./kube-objects"),
  ]);
  const note = (line: string) => process.stderr.write(`gatehouse ${command}: ${line}\n`);
  const input = await readKubeObjects(files);
  input.errors.forEach(note);
  input.notes.forEach(note);
  if (input.nothing) {
    note(`no Kubernetes objects in ${files.join(", ")}`);
    return 2;
  }
  const resources = resourceSetFrom(input.objects);
  // Statuses include what Envoy's rules would cut, and every IR carries the IP family.
  const checked = translateAndCheck(resources, opts);
  for (const d of checked.diagnostics) note(d.message);
  return { resources, checked, failed: input.errors.length > 0 };
}
