// Secrets and ConfigMaps are published only while a Gateway, ListenerSet or BackendTLSPolicy
// references them: a cluster-wide Secret cache is how controllers of this kind run out of
// memory on big clusters. Each referenced object gets its own field-scoped informer
// (`metadata.name=<name>` in its namespace), so a rotated certificate is seen at once, and
// is stopped (and the object withdrawn from the bus) when its last referrer lets go.
// ReferenceGrants are not checked here: the translator enforces them on what it reads.
import { KINDS, refId, type KindInfo } from "@gatehouse/kube";
import { type ApiObject } from "@gatehouse/kube-client";

export interface ObjectReference {
  kind: "Secret" | "ConfigMap";
  namespace: string;
  name: string;
}

type Ref = { group?: string; kind?: string; name?: string; namespace?: string };
type Listener = { tls?: { certificateRefs?: Ref[] } };
type Spec = {
  listeners?: Listener[];
  tls?: {
    backend?: { clientCertificateRef?: Ref };
    frontend?: { default?: { validation?: { caCertificateRefs?: Ref[] } }; perPort?: { tls?: { validation?: { caCertificateRefs?: Ref[] } } }[] };
  };
  validation?: { caCertificateRefs?: Ref[] };
};

/** Kinds whose objects reference Secrets or ConfigMaps. */
export const REFERRING_KINDS: ReadonlySet<string> = new Set(["Gateway", "ListenerSet", "BackendTLSPolicy"]);

const arr = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);

/** The core Secrets and ConfigMaps an object references (kinds of REFERRING_KINDS; none for others). */
export function referencesOf(obj: ApiObject): ObjectReference[] {
  const from = obj.metadata.namespace || "default";
  const spec = ((obj as { spec?: Spec }).spec ?? {}) as Spec;
  const refs: { ref: Ref; defaultKind: string; crossNamespace: boolean }[] = [];
  if (obj.kind === "Gateway" || obj.kind === "ListenerSet") {
    for (const l of arr(spec.listeners)) for (const ref of arr(l.tls?.certificateRefs)) refs.push({ ref, defaultKind: "Secret", crossNamespace: true });
  }
  if (obj.kind === "Gateway") {
    if (spec.tls?.backend?.clientCertificateRef) refs.push({ ref: spec.tls.backend.clientCertificateRef, defaultKind: "Secret", crossNamespace: true });
    const frontend = spec.tls?.frontend;
    const cas = [...arr(frontend?.default?.validation?.caCertificateRefs), ...arr(frontend?.perPort).flatMap((p) => arr(p.tls?.validation?.caCertificateRefs))];
    for (const ref of cas) refs.push({ ref, defaultKind: "ConfigMap", crossNamespace: true });
  }
  if (obj.kind === "BackendTLSPolicy") {
    for (const ref of arr(spec.validation?.caCertificateRefs)) refs.push({ ref, defaultKind: "ConfigMap", crossNamespace: false });
  }
  const out = new Map<string, ObjectReference>();
  for (const { ref, defaultKind, crossNamespace } of refs) {
    const kind = ref.kind ?? defaultKind;
    if ((ref.group ?? "") !== "" || (kind !== "Secret" && kind !== "ConfigMap") || !ref.name) continue;
    const namespace = (crossNamespace && ref.namespace) || from;
    const r: ObjectReference = { kind, namespace, name: ref.name };
    out.set(refId(r), r);
  }
  return [...out.values()];
}

export const REFERENCED_KINDS: Record<ObjectReference["kind"], KindInfo> = {
  Secret: KINDS.find((k) => k.kind === "Secret")!,
  ConfigMap: KINDS.find((k) => k.kind === "ConfigMap")!,
};

/**
 * Who references what: `update(owner, refs)` replaces an owner's references and returns the
 * objects that gained their first referrer and those that lost their last.
 */
export class ReferenceTable {
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly refs = new Map<string, ObjectReference>();

  update(owner: string, refs: ObjectReference[]): { added: ObjectReference[]; removed: ObjectReference[] } {
    const before = this.byOwner.get(owner) ?? new Set<string>();
    const after = new Set(refs.map(refId));
    const added: ObjectReference[] = [];
    const removed: ObjectReference[] = [];
    for (const r of refs) {
      const id = refId(r);
      if (before.has(id)) continue;
      const set = this.owners.get(id) ?? new Set<string>();
      if (set.size === 0) {
        this.refs.set(id, r);
        added.push(r);
      }
      set.add(owner);
      this.owners.set(id, set);
    }
    for (const id of before) {
      if (after.has(id)) continue;
      const set = this.owners.get(id)!;
      set.delete(owner);
      if (set.size === 0) {
        this.owners.delete(id);
        removed.push(this.refs.get(id)!);
        this.refs.delete(id);
      }
    }
    if (after.size > 0) this.byOwner.set(owner, after);
    else this.byOwner.delete(owner);
    return { added, removed };
  }
}
