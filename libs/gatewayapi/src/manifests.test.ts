import { describe, expect, it } from "vitest";
import { parseManifests } from "./manifests";

describe("parseManifests", () => {
  it("returns the good documents and names each broken one by file and index", () => {
    const text = [
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [unclosed",
      "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w",
      "",
      "kind: Service\nmetadata:\n  name: no-version",
      "apiVersion: v1\nkind: Service\nmetadata:\n  namespace: x\n  name: s",
    ].join("\n---\n");
    const { objects, errors } = parseManifests(text, "in.yaml");
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(["Namespace/a", "Service/s"]);
    expect(errors.map((e) => e.document)).toEqual(["in.yaml#1", "in.yaml#2 (Widget w)", "in.yaml#4 (Service no-version)"]);
    expect(errors[0].message).toMatch(/malformed YAML/);
    expect(errors[1].message).toBe("unknown kind example.com/v1/Widget");
  });

  it("expands kind: List", () => {
    const text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: b}\n";
    expect(parseManifests(text, "-").objects.map((o) => o.metadata?.name)).toEqual(["a", "b"]);
  });
});
