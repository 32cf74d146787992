// What to write to `derived` so that it holds exactly the objects of a conversion: puts for
// new and changed objects (by content hash), deletes for keys no conversion produces any more.
import { encodeKey, type KubeObject } from "@gatehouse/bus";
import { diffByHash, type HashDiff } from "./hash-diff";

export type DerivedDiff = HashDiff<KubeObject>;

export function derivedKey(object: { kind?: string; metadata?: { namespace?: string; name?: string } }): string {
  return encodeKey({ kind: object.kind ?? "", namespace: object.metadata?.namespace ?? "", name: object.metadata?.name ?? "" });
}

/** `published`: content hash by key of what `derived` holds now. */
export function diffDerived(published: ReadonlyMap<string, string>, objects: readonly KubeObject[]): DerivedDiff {
  return diffByHash(published, objects.map((object) => [derivedKey(object), object] as const));
}
