import { describe, expect, it } from "vitest";
import { collectManifests, formatDuplicate, formatSkippedKind, lastDefinition } from "./manifest-set";

const svc = (name: string, port: number) => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name} }\nspec: { ports: [{ port: ${port} }] }\n`;
const statefulSet = (name: string) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: ${name} }\n`;

describe("collectManifests", () => {
  it("uses the last definition of an object in reading order and reports the duplicate", () => {
    const set = collectManifests([
      { source: "a.yaml", text: `${svc("web", 1)}---\n${svc("db", 5432)}` },
      { source: "b.yaml", text: `${svc("web", 2)}---\n${svc("web", 3)}` },
    ]);
    expect(set.objects.map((o) => `${o.metadata.name}:${(o.spec as { ports: { port: number }[] }).ports[0].port}`)).toEqual(["db:5432", "web:3"]);
    expect(set.duplicates).toEqual([{ id: "Service/default/web", sources: ["a.yaml", "b.yaml", "b.yaml"], winner: "b.yaml" }]);
    expect(formatDuplicate(set.duplicates[0])).toBe("Service/default/web is defined 3 times (a.yaml, b.yaml); the last definition, in b.yaml, is used");
  });

  it("folds skipped objects into one note per kind", () => {
    const set = collectManifests([
      { source: "a.yaml", text: `${statefulSet("a")}---\n${statefulSet("b")}---\n${svc("web", 80)}` },
      { source: "b.yaml", text: statefulSet("c") },
    ]);
    expect(set.objects).toHaveLength(1);
    expect(set.errors).toEqual([]);
    expect(set.skipped).toEqual([{ apiVersion: "apps/v1", kind: "StatefulSet", count: 3, sources: ["a.yaml", "b.yaml"] }]);
    expect(formatSkippedKind(set.skipped[0])).toBe("skipped 3 objects of kind StatefulSet (apps/v1): not a kind Gatehouse handles");
  });

  it("leaves out a broken file whole and goes on with the others", () => {
    const set = collectManifests([
      { source: "a.yaml", text: `${svc("a", 80)}---\nkind: [` },
      { source: "b.yaml", text: svc("b", 80) },
      { source: "c.yaml", text: "" },
    ]);
    expect(set.objects.map((o) => o.metadata.name)).toEqual(["b"]);
    expect(set.errors.map((e) => e.source)).toEqual(["a.yaml"]);
    expect(set.empty).toEqual(["c.yaml"]);
  });
});

describe("lastDefinition", () => {
  it("picks the last path in path order, whatever order it is given", () => {
    expect(lastDefinition(["b/x.yaml", "a.yaml", "b.yaml"])).toBe("b/x.yaml");
    expect(lastDefinition([])).toBeUndefined();
  });
});
