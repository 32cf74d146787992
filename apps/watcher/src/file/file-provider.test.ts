import { describe, expect, it } from "vitest";
import { FileProvider } from "./file-provider";

const route = (name: string, path = "/") => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: default
spec:
  rules:
    - matches: [{ path: { type: PathPrefix, value: "${path}" } }]
`;
const slice = (name: string) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${name} }
addressType: IPv4
endpoints: []
`;
const ops = (changes: { op: string; id: string }[]) => changes.map((c) => `${c.op} ${c.id}`);

describe("FileProvider", () => {
  it("publishes every object of a multi-document file, defaulting the namespace", () => {
    const p = new FileProvider();
    const r = p.apply([{ path: "a.yaml", text: `${route("r1")}---\n${slice("s1")}---\n` }]);
    expect(ops(r.changes)).toEqual(["put EndpointSlice/default/s1", "put HTTPRoute/default/r1"]);
    expect(r.newErrors).toEqual([]);
  });

  it("keys cluster-scoped kinds with an empty namespace", () => {
    const p = new FileProvider();
    const r = p.apply([
      { path: "gc.yaml", text: "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: gc, namespace: x }\n" },
    ]);
    expect(ops(r.changes)).toEqual(["put GatewayClass//gc"]);
    expect(r.changes[0].op === "put" && r.changes[0].object.metadata.namespace).toBe(undefined);
  });

  it("publishes only the objects that changed and deletes the ones a file no longer holds", () => {
    const p = new FileProvider();
    p.apply([{ path: "a.yaml", text: `${route("r1")}---\n${route("r2")}---\n${route("r3")}` }]);
    const r = p.apply([{ path: "a.yaml", text: `${route("r1")}---\n${route("r2", "/v2")}` }]);
    expect(ops(r.changes)).toEqual(["put HTTPRoute/default/r2", "delete HTTPRoute/default/r3"]);
  });

  it("withdraws everything a deleted file defined", () => {
    const p = new FileProvider();
    p.apply([{ path: "a.yaml", text: `${route("r1")}---\n${slice("s1")}` }]);
    const r = p.apply([{ path: "a.yaml", text: null }]);
    expect(ops(r.changes)).toEqual(["delete EndpointSlice/default/s1", "delete HTTPRoute/default/r1"]);
  });

  it("publishes nothing for a rename within one batch", () => {
    const p = new FileProvider();
    p.apply([{ path: "a.yaml", text: route("r1") }]);
    const r = p.apply([
      { path: "a.yaml", text: null },
      { path: "b.yaml", text: route("r1") },
    ]);
    expect(r.changes).toEqual([]);
    // and the object now belongs to the new file
    expect(ops(p.apply([{ path: "b.yaml", text: null }]).changes)).toEqual(["delete HTTPRoute/default/r1"]);
  });

  it("keeps a broken file's previous objects until it parses again, and reports it once", () => {
    const p = new FileProvider();
    p.apply([{ path: "a.yaml", text: `${route("r1")}---\n${route("r2")}` }, { path: "b.yaml", text: route("r3") }]);
    const broken = p.apply([{ path: "a.yaml", text: `${route("r1")}---\nkind: [unclosed` }]);
    expect(broken.changes).toEqual([]);
    expect(broken.newErrors.map((e) => e.path)).toEqual(["a.yaml"]);
    expect(p.fileErrors()).toHaveLength(1);
    expect(p.apply([{ path: "a.yaml", text: `${route("r1")}---\nkind: [unclosed` }]).newErrors).toEqual([]);
    const fixed = p.apply([{ path: "a.yaml", text: route("r1") }]);
    expect(ops(fixed.changes)).toEqual(["delete HTTPRoute/default/r2"]);
    expect(fixed.clearedErrors).toEqual(["a.yaml"]);
    expect(p.fileErrors()).toEqual([]);
    expect(p.objectCount()).toBe(2);
  });

  it("reports documents that are not Kubernetes objects", () => {
    const p = new FileProvider();
    for (const text of ["- a\n- b\n", "kind: Service\nmetadata: { name: x }\n", "apiVersion: v1\nkind: Service\nmetadata: { name: Bad_Name }\n"]) {
      const r = p.apply([{ path: "x.yaml", text }]);
      expect(r.changes).toEqual([]);
      expect(p.fileErrors()[0].path).toBe("x.yaml");
    }
  });

  it("resolves an object defined by two files to the last file in path order, as translate does", () => {
    const p = new FileProvider();
    p.apply([{ path: "a.yaml", text: route("r1", "/a") }]);
    const r = p.apply([{ path: "b.yaml", text: route("r1", "/b") }]);
    expect(r.changes).toHaveLength(1);
    expect(JSON.stringify(r.changes[0])).toContain('"/b"');
    expect(p.conflicts()).toEqual([{ id: "HTTPRoute/default/r1", files: ["a.yaml", "b.yaml"] }]);
    const back = p.apply([{ path: "b.yaml", text: null }]);
    expect(back.changes).toHaveLength(1);
    expect(JSON.stringify(back.changes[0])).toContain('"/a"');
  });

  it("skips kinds it does not handle with one note per kind, and publishes the rest", () => {
    const p = new FileProvider();
    const statefulSet = (name: string) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: ${name} }\n`;
    const r = p.apply([{ path: "a.yaml", text: `${statefulSet("a")}---\n${statefulSet("b")}---\n${route("r1")}` }]);
    expect(ops(r.changes)).toEqual(["put HTTPRoute/default/r1"]);
    expect(r.newSkippedKinds).toEqual([{ apiVersion: "apps/v1", kind: "StatefulSet", count: 2, sources: ["a.yaml"] }]);
    expect(p.apply([{ path: "b.yaml", text: statefulSet("c") }]).newSkippedKinds).toEqual([]);
  });

  it("reports a duplicate key with the file and line", () => {
    const p = new FileProvider();
    const r = p.apply([{ path: "a.yaml", text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n" }]);
    expect(r.newErrors).toEqual([{ path: "a.yaml", message: 'a.yaml:5: duplicate key "name"' }]);
  });
});
