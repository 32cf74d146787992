import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { renderStatusFile } from "./status-file";

describe("renderStatusFile", () => {
  it("writes one object per document (apiVersion, kind, metadata, status), sorted, cluster-scoped ones without namespace", () => {
    const text = renderStatusFile([
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", namespace: "default", name: "b", observedGeneration: 2, status: { parents: [] } },
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", namespace: "", name: "gc", observedGeneration: 1, status: { conditions: [{ type: "Accepted" }] } },
    ]);
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    expect(docs).toEqual([
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "gc", generation: 1 }, status: { conditions: [{ type: "Accepted" }] } },
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "b", namespace: "default", generation: 2 }, status: { parents: [] } },
    ]);
  });
});
