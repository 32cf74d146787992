// Fields the API server or kubectl add that no Gatehouse component reads and that would only
// make objects bigger and hashes change for nothing: server-side apply bookkeeping and
// kubectl's copy of the whole object in an annotation.

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** The object without metadata.managedFields and the last-applied-configuration annotation (a copy; the input is not changed). */
export function stripNoise<T extends { metadata: Record<string, unknown> }>(obj: T): T {
  const meta = obj.metadata;
  const annotations = meta.annotations as Record<string, string> | undefined;
  const noisyAnnotations = annotations !== undefined && annotations !== null && LAST_APPLIED_ANNOTATION in annotations;
  if (!("managedFields" in meta) && !noisyAnnotations) return obj;
  const { managedFields: _managed, ...rest } = meta;
  if (noisyAnnotations) {
    const { [LAST_APPLIED_ANNOTATION]: _applied, ...others } = annotations;
    if (Object.keys(others).length > 0) rest.annotations = others;
    else delete rest.annotations;
  }
  return { ...obj, metadata: rest };
}
