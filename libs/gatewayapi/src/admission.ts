// The door of translate(): every object is shape-checked (@gatehouse/validation's
// shapeViolations) before any processor reads it. A malformed object (a Service whose ports
// is not a list, a Secret whose data is a string...) is reported as an Event-like diagnostic
// and treated as absent; its neighbours are translated as if it had never been there.
import { shapeViolations } from "@gatehouse/validation";
import type { KubeObject } from "./kube-types";
import type { KindIndex, ResourceSet } from "./resource-set";

/** What Kubernetes would record as a Warning Event on the object. */
export interface Diagnostic {
  type: "Warning";
  reason: "MalformedObject";
  kind: string;
  namespace: string;
  name: string;
  message: string;
}

export interface Admission {
  /** The input minus malformed objects (the very same set when nothing was dropped). */
  resources: ResourceSet;
  /** One per dropped object, in kind then namespace/name order. */
  diagnostics: Diagnostic[];
}

// Objects are immutable once indexed (the translator service replaces, never edits, them), so
// an object's verdict holds for as long as it lives.
const verdicts = new WeakMap<object, string | null>();
const SHOWN = 3;

/** The shape problem of one object as one message, or undefined when it is well formed. */
export function malformation(obj: KubeObject): string | undefined {
  const hit = verdicts.get(obj);
  if (hit !== undefined) return hit ?? undefined;
  const found = shapeViolations(obj);
  const text =
    found.length === 0
      ? null
      : found
          .slice(0, SHOWN)
          .map((v) => (v.path ? `${v.path}: ${v.message}` : v.message))
          .join("; ") + (found.length > SHOWN ? `; and ${found.length - SHOWN} more` : "");
  verdicts.set(obj, text);
  return text ?? undefined;
}

export function admitResources(set: ResourceSet): Admission {
  const diagnostics: Diagnostic[] = [];
  let admitted: ResourceSet | undefined;
  for (const field of Object.keys(set) as (keyof ResourceSet)[]) {
    // ProxyConfigs are validated whole by the parametersRef resolver, which names the field in
    // the InvalidParameters condition; dropped here they would read as "not found".
    if (field === "slicesByService" || field === "proxyConfigs") continue;
    const index = set[field] as KindIndex;
    for (const key of [...index.keys()].sort()) {
      const obj = index.get(key)!;
      const problem = malformation(obj);
      if (!problem) continue;
      admitted ??= { ...set };
      if (admitted[field] === set[field]) (admitted as unknown as Record<string, KindIndex>)[field] = new Map(index);
      (admitted[field] as KindIndex).delete(key);
      const [namespace, name] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
      const kind = typeof obj.kind === "string" ? obj.kind : "";
      diagnostics.push({
        type: "Warning",
        reason: "MalformedObject",
        kind,
        namespace,
        name,
        message: `${kind} ${namespace ? `${namespace}/` : ""}${name} is malformed and ignored: ${problem}`,
      });
    }
  }
  if (!admitted) return { resources: set, diagnostics };
  if (admitted.endpointSlices !== set.endpointSlices) {
    const kept = new Set(admitted.endpointSlices.values());
    admitted.slicesByService = new Map(
      [...set.slicesByService].map(([svc, slices]) => [svc, slices.filter((s) => kept.has(s))] as const).filter(([, slices]) => slices.length > 0),
    );
  }
  return { resources: admitted, diagnostics };
}
