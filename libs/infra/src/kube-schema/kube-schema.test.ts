import { describe, expect, it } from "vitest";
import { kubeSchemaErrors, modelName } from "./kube-schema";

describe("kube schema check", () => {
  it("names model classes by version and kind", () => {
    expect(modelName("apps/v1", "Deployment")).toBe("V1Deployment");
    expect(modelName("autoscaling/v2", "HorizontalPodAutoscaler")).toBe("V2HorizontalPodAutoscaler");
    expect(modelName("v1", "Service")).toBe("V1Service");
  });

  it("accepts a well-formed Deployment", async () => {
    const d = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "x", labels: { a: "b" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { a: "b" } },
        template: { spec: { containers: [{ name: "c", image: "i", ports: [{ containerPort: 80 }], resources: { limits: { cpu: "1" } } }] } },
      },
    };
    expect(await kubeSchemaErrors(d)).toEqual([]);
  });

  it("reports unknown fields, wrong types and missing required fields with their paths", async () => {
    const d = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "x" },
      spec: {
        replicas: "two",
        selector: { matchLabels: { a: "b" } },
        template: { spec: { containers: [{ image: "i", livenessProbe: { httpGet: { path: "/" } }, readinesProbe: {} }] } },
      },
    };
    expect(await kubeSchemaErrors(d)).toEqual([
      'Deployment.spec.replicas: must be a number, got "two"',
      "Deployment.spec.template.spec.containers[0].name: required",
      "Deployment.spec.template.spec.containers[0].livenessProbe.httpGet.port: required",
      "Deployment.spec.template.spec.containers[0].readinesProbe: unknown field of V1Container",
    ]);
  });

  it("refuses kinds that are not Kubernetes kinds", async () => {
    expect(await kubeSchemaErrors({ apiVersion: "example.com/v1", kind: "Widget" })).toEqual([
      "example.com/v1 Widget: not a Kubernetes kind (no model V1Widget)",
    ]);
  });
});
