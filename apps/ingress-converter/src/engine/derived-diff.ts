// What to write to `derived` so that it holds exactly the objects of a conversion: puts for
// new and changed objects (by content hash), deletes for keys no conversion produces any more.
import { encodeKey, type KubeObject } from "@gatehouse/bus";
import { contentHash } from "@gatehouse/ir";

export interface DerivedDiff {
  puts: { key: string; object: KubeObject; hash: string }[];
  deletes: string[];
}

export function derivedKey(object: { kind?: string; metadata?: { namespace?: string; name?: string } }): string {
  return encodeKey({ kind: object.kind ?? "", namespace: object.metadata?.namespace ?? "", name: object.metadata?.name ?? "" });
}

/** `published`: content hash by key of what `derived` holds now. */
export function diffDerived(published: ReadonlyMap<string, string>, objects: readonly KubeObject[]): DerivedDiff {
  const diff: DerivedDiff = { puts: [], deletes: [] };
  const wanted = new Set<string>();
  for (const object of objects) {
    const key = derivedKey(object);
    wanted.add(key);
    const hash = contentHash(object);
    if (published.get(key) !== hash) diff.puts.push({ key, object, hash });
  }
  for (const key of [...published.keys()].sort()) if (!wanted.has(key)) diff.deletes.push(key);
  return diff;
}
