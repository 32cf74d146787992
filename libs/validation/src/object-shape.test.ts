import { describe, expect, it } from "vitest";
import { shapeViolations, SHAPED_KINDS } from "./object-shape";

describe("shapeViolations", () => {
  it("accepts well-formed core objects", () => {
    expect(shapeViolations({ apiVersion: "v1", kind: "Service", metadata: { name: "web", labels: { app: "web" } }, spec: { ports: [{ port: 80, targetPort: "http" }] } })).toEqual([]);
    expect(shapeViolations({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, type: "kubernetes.io/tls", data: { "tls.crt": "eA==" } })).toEqual([]);
    expect(shapeViolations({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "e" }, endpoints: [{ addresses: ["10.0.0.1"], conditions: { ready: true } }] })).toEqual([]);
  });

  it("names the path and the expected type of each wrong-typed field", () => {
    expect(shapeViolations({ kind: "Service", metadata: { name: "web" }, spec: { ports: "80" } })).toEqual([
      { path: "spec.ports", message: 'Invalid value: "string": spec.ports must be of type array', reason: "FieldValueTypeInvalid", rule: "type" },
    ]);
    expect(shapeViolations({ kind: "Service", metadata: { name: "web" }, spec: { ports: [{ targetPort: true }] } }).map((v) => v.path)).toEqual(["spec.ports[0].targetPort"]);
    expect(shapeViolations({ kind: "ConfigMap", metadata: { name: "c", labels: "x" }, data: { "ca.crt": 5 } }).map((v) => v.path)).toEqual(["metadata.labels", "data[ca.crt]"]);
    expect(shapeViolations({ kind: "EndpointSlice", metadata: { name: "e" }, endpoints: [{ conditions: { ready: "yes" } }] }).map((v) => v.path)).toEqual(["endpoints[0].conditions.ready"]);
  });

  it("reports only type errors of Gateway API objects, leaving invalid values to translation", () => {
    const route = { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "r" }, spec: { hostnames: ["-bad-"], rules: {} } };
    expect(shapeViolations(route).map((v) => v.path)).toEqual(["spec.rules"]);
    expect(shapeViolations({ ...route, spec: { hostnames: ["-bad-"] } })).toEqual([]);
  });

  it("never throws, whatever the input", () => {
    for (const kind of [...SHAPED_KINDS, "Unknown", 7]) {
      for (const bad of [null, 1, "x", [], { a: [] }]) {
        expect(() => shapeViolations({ kind, metadata: bad, spec: bad, data: bad, endpoints: bad, ports: bad })).not.toThrow();
      }
    }
    expect(shapeViolations(null)).toHaveLength(1);
    expect(shapeViolations([1])).toHaveLength(1);
  });
});
