import { describe, expect, it } from "vitest";
import { ReferenceTable, referencesOf } from "./referenced-objects";

const GWV1 = "gateway.networking.k8s.io/v1";

describe("referencesOf", () => {
  it("finds listener certificates, backend client certificates and CA refs, with default kinds and namespaces", () => {
    const gw = {
      apiVersion: GWV1,
      kind: "Gateway",
      metadata: { name: "gw", namespace: "edge" },
      spec: {
        listeners: [{ tls: { certificateRefs: [{ name: "a" }, { name: "b", namespace: "certs" }, { group: "example.com", kind: "Vault", name: "x" }] } }, { tls: { certificateRefs: [{ name: "a" }] } }],
        tls: { backend: { clientCertificateRef: { name: "client" } }, frontend: { default: { validation: { caCertificateRefs: [{ kind: "ConfigMap", name: "ca" }] } } } },
      },
    };
    expect(referencesOf(gw)).toEqual([
      { kind: "Secret", namespace: "edge", name: "a" },
      { kind: "Secret", namespace: "certs", name: "b" },
      { kind: "Secret", namespace: "edge", name: "client" },
      { kind: "ConfigMap", namespace: "edge", name: "ca" },
    ]);
  });

  it("keeps a BackendTLSPolicy's CA refs in its own namespace and ignores other kinds", () => {
    const policy = { apiVersion: GWV1, kind: "BackendTLSPolicy", metadata: { name: "p", namespace: "apps" }, spec: { validation: { caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "ca", namespace: "elsewhere" }] } } };
    expect(referencesOf(policy)).toEqual([{ kind: "ConfigMap", namespace: "apps", name: "ca" }]);
    expect(referencesOf({ apiVersion: GWV1, kind: "HTTPRoute", metadata: { name: "r", namespace: "apps" }, spec: { listeners: [{ tls: { certificateRefs: [{ name: "a" }] } }] } })).toEqual([]);
  });
});

describe("ReferenceTable", () => {
  it("reports an object when its first referrer appears and when its last one goes", () => {
    const t = new ReferenceTable();
    const a = { kind: "Secret" as const, namespace: "ns", name: "a" };
    const b = { kind: "Secret" as const, namespace: "ns", name: "b" };
    expect(t.update("gw1", [a])).toEqual({ added: [a], removed: [] });
    expect(t.update("gw2", [a, b])).toEqual({ added: [b], removed: [] });
    expect(t.update("gw1", [])).toEqual({ added: [], removed: [] });
    expect(t.update("gw2", [b])).toEqual({ added: [], removed: [a] });
    expect(t.update("gw2", [])).toEqual({ added: [], removed: [b] });
  });
});
