// What to write to a bucket so that it holds exactly the wanted values: puts for new and
// changed keys (by content hash), deletes for keys no longer wanted. Both `derived` and
// `ingress-status` are brought up to date this way.
import { contentHash } from "@gatehouse/ir";

export interface HashDiff<T> {
  puts: { key: string; value: T; hash: string }[];
  deletes: string[];
}

/** `published`: content hash by key of what the bucket holds now. */
export function diffByHash<T>(published: ReadonlyMap<string, string>, wanted: Iterable<readonly [string, T]>): HashDiff<T> {
  const diff: HashDiff<T> = { puts: [], deletes: [] };
  const keys = new Set<string>();
  for (const [key, value] of wanted) {
    keys.add(key);
    const hash = contentHash(value);
    if (published.get(key) !== hash) diff.puts.push({ key, value, hash });
  }
  for (const key of [...published.keys()].sort()) if (!keys.has(key)) diff.deletes.push(key);
  return diff;
}
