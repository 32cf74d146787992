import { describe, expect, it } from "vitest";
import { contentHash } from "@gatehouse/ir";
import type { KubeObject } from "@gatehouse/bus";
import { derivedKey, diffDerived } from "./derived-diff";

const route = (name: string, path: string): KubeObject => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { namespace: "shop", name },
  spec: { rules: [{ matches: [{ path: { type: "PathPrefix", value: path } }] }] },
});

describe("diffDerived", () => {
  it("puts new and changed objects, keeps unchanged ones, deletes what is no longer produced", () => {
    const same = route("same", "/a");
    const published = new Map([
      [derivedKey(same), contentHash(same)],
      [derivedKey(route("changed", "/old")), contentHash(route("changed", "/old"))],
      [derivedKey(route("gone", "/g")), contentHash(route("gone", "/g"))],
    ]);
    const diff = diffDerived(published, [same, route("changed", "/new"), route("added", "/n")]);
    expect(diff.puts.map((p) => p.key)).toEqual([derivedKey(route("changed", "")), derivedKey(route("added", ""))]);
    expect(diff.deletes).toEqual([derivedKey(route("gone", ""))]);
  });

  it("sees no change when only the key order differs", () => {
    const a = route("r", "/x");
    const reordered = { spec: a.spec, metadata: { name: "r", namespace: "shop" }, kind: a.kind, apiVersion: a.apiVersion } as KubeObject;
    expect(diffDerived(new Map([[derivedKey(a), contentHash(a)]]), [reordered])).toEqual({ puts: [], deletes: [] });
  });
});
