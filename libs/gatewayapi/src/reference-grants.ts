// ReferenceGrant checks: a reference from one namespace into another is allowed only when a
// ReferenceGrant in the target namespace lists the source (group, kind, namespace) in
// `from` and the target (group, kind, optional name) in `to`.
import { asArray, spec, type ReferenceGrantSpec } from "./kube-types";
import type { ResourceSet } from "./resource-set";

export interface RefFrom {
  group: string;
  kind: string;
  namespace: string;
}

export interface RefTo {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export class ReferenceGrants {
  private readonly byNamespace = new Map<string, ReferenceGrantSpec[]>();

  constructor(resources: ResourceSet) {
    for (const key of [...resources.referenceGrants.keys()].sort()) {
      const grant = resources.referenceGrants.get(key)!;
      const ns = grant.metadata?.namespace || "default";
      const list = this.byNamespace.get(ns) ?? [];
      list.push(spec<ReferenceGrantSpec>(grant));
      this.byNamespace.set(ns, list);
    }
  }

  /** Same-namespace references are always allowed. */
  permits(from: RefFrom, to: RefTo): boolean {
    if (from.namespace === to.namespace) return true;
    for (const grant of this.byNamespace.get(to.namespace) ?? []) {
      const fromOk = asArray(grant.from).some(
        (f) => (f.group ?? "") === from.group && f.kind === from.kind && f.namespace === from.namespace,
      );
      if (!fromOk) continue;
      const toOk = asArray(grant.to).some(
        (t) => (t.group ?? "") === to.group && t.kind === to.kind && (!t.name || t.name === to.name),
      );
      if (toOk) return true;
    }
    return false;
  }
}
