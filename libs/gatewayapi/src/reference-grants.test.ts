import { describe, expect, it } from "vitest";
import { ReferenceGrants } from "./reference-grants";
import { resourceSetFrom } from "./resource-set";

const grant = (namespace: string, spec: unknown) => ({
  apiVersion: "gateway.networking.k8s.io/v1beta1",
  kind: "ReferenceGrant",
  metadata: { namespace, name: `g-${Math.random().toString(36).slice(2)}` },
  spec,
});

const from = { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "apps" };
const to = { group: "", kind: "Service", namespace: "backends", name: "api" };

describe("ReferenceGrants", () => {
  it("always allows references within a namespace", () => {
    expect(new ReferenceGrants(resourceSetFrom([])).permits(from, { ...to, namespace: "apps" })).toBe(true);
  });

  it("denies a cross-namespace reference without a grant", () => {
    expect(new ReferenceGrants(resourceSetFrom([])).permits(from, to)).toBe(false);
  });

  it("allows it when a grant in the target namespace lists both sides", () => {
    const rs = resourceSetFrom([grant("backends", { from: [from], to: [{ group: "", kind: "Service" }] })]);
    expect(new ReferenceGrants(rs).permits(from, to)).toBe(true);
  });

  it("honours the name restriction in `to`", () => {
    const rs = resourceSetFrom([grant("backends", { from: [from], to: [{ group: "", kind: "Service", name: "other" }] })]);
    expect(new ReferenceGrants(rs).permits(from, to)).toBe(false);
  });

  it("ignores grants in the wrong namespace, for another kind or another source namespace", () => {
    const rs = resourceSetFrom([
      grant("apps", { from: [from], to: [{ group: "", kind: "Service" }] }),
      grant("backends", { from: [{ ...from, kind: "GRPCRoute" }], to: [{ group: "", kind: "Service" }] }),
      grant("backends", { from: [{ ...from, namespace: "other" }], to: [{ group: "", kind: "Service" }] }),
      grant("backends", { from: [from], to: [{ group: "", kind: "Secret" }] }),
    ]);
    expect(new ReferenceGrants(rs).permits(from, to)).toBe(false);
  });
});
