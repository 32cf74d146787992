import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { renderStatusFile } from "./status-file";

describe("renderStatusFile", () => {
  it("writes one YAML document per object, sorted, cluster-scoped objects without namespace", () => {
    const text = renderStatusFile([
      { kind: "HTTPRoute", namespace: "default", name: "b", observedGeneration: 2, status: { parents: [] } },
      { kind: "GatewayClass", namespace: "", name: "gc", observedGeneration: 1, status: { conditions: [{ type: "Accepted" }] } },
    ]);
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    expect(docs).toEqual([
      { kind: "GatewayClass", metadata: { name: "gc" }, observedGeneration: 1, status: { conditions: [{ type: "Accepted" }] } },
      { kind: "HTTPRoute", metadata: { name: "b", namespace: "default" }, observedGeneration: 2, status: { parents: [] } },
    ]);
  });
});
