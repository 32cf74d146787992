import { describe, expect, it } from "vitest";
import { applyConfiguration, applyJsonPatch, applyMergePatch, PatchError } from "./patches";
import { parseFieldSelector, parseLabelSelector, SelectorError } from "./selectors";

describe("patches", () => {
  it("merge patch (RFC 7386) merges objects, deletes on null, replaces lists", () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });

  it("JSON patch (RFC 6902) supports add/remove/replace/move/copy/test and fails on a missing path", () => {
    const doc = { a: [1, 2], b: { c: "x" } };
    expect(
      applyJsonPatch(doc, [
        { op: "add", path: "/a/1", value: 9 },
        { op: "remove", path: "/a/0" },
        { op: "replace", path: "/b/c", value: "y" },
        { op: "copy", from: "/b/c", path: "/d" },
        { op: "move", from: "/d", path: "/e~1f" },
        { op: "test", path: "/e~1f", value: "y" },
      ]),
    ).toEqual({ a: [9, 2], b: { c: "y" }, "e/f": "y" });
    expect(doc).toEqual({ a: [1, 2], b: { c: "x" } });
    expect(() => applyJsonPatch(doc, [{ op: "replace", path: "/nope", value: 1 }])).toThrow(PatchError);
  });

  it("apply merges maps and keeps fields the configuration does not mention", () => {
    expect(applyConfiguration({ spec: { a: 1, b: [1] }, status: { x: 1 } }, { spec: { b: [2], c: null } })).toEqual({ spec: { a: 1, b: [2], c: null }, status: { x: 1 } });
  });
});

describe("selectors", () => {
  const obj = (labels: Record<string, string>, name = "n", namespace = "ns") => ({ metadata: { name, namespace, labels } });

  it("parses the label selector grammar", () => {
    expect(parseLabelSelector("a=1,b!=2")(obj({ a: "1" }))).toBe(true);
    expect(parseLabelSelector("a==1")(obj({ a: "2" }))).toBe(false);
    expect(parseLabelSelector("a in (1, 2),b notin (3)")(obj({ a: "2", b: "4" }))).toBe(true);
    expect(parseLabelSelector("a,!b")(obj({ a: "", b: "" }))).toBe(false);
    expect(parseLabelSelector("")(obj({}))).toBe(true);
    expect(() => parseLabelSelector("a=(")).toThrow(SelectorError);
  });

  it("supports metadata.name and metadata.namespace field selectors and rejects others", () => {
    expect(parseFieldSelector("metadata.name=n,metadata.namespace!=x")(obj({}))).toBe(true);
    expect(parseFieldSelector("metadata.namespace==other")(obj({}))).toBe(false);
    expect(() => parseFieldSelector("spec.x=1")).toThrow(SelectorError);
  });
});
