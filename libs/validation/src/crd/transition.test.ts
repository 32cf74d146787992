import { describe, expect, it } from "vitest";
import { validateTransition } from "./transition";

const gatewayClass = (controllerName: unknown) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "GatewayClass",
  metadata: { name: "gc" },
  spec: { controllerName },
});

describe("validateTransition", () => {
  it("rejects a change of a GatewayClass's controllerName", () => {
    expect(validateTransition(gatewayClass("a.dev/x"), gatewayClass("b.dev/y"))).toEqual([
      { path: "spec.controllerName", message: "Value is immutable", reason: "FieldValueInvalid", rule: "gatewayclass.controllerName.immutable" },
    ]);
  });

  it("accepts an unchanged controllerName", () => {
    expect(validateTransition(gatewayClass("a.dev/x"), gatewayClass("a.dev/x"))).toEqual([]);
  });

  it("leaves malformed and other kinds alone", () => {
    expect(validateTransition(gatewayClass(undefined), gatewayClass("a.dev/x"))).toEqual([]);
    expect(validateTransition({ kind: "Gateway", spec: {} }, { kind: "Gateway", spec: {} })).toEqual([]);
    expect(validateTransition(null as never, undefined as never)).toEqual([]);
  });
});
