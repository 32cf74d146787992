import { describe, expect, it } from "vitest";
import { validateProxyConfig } from "./index";

const pc = (spec: unknown) => ({ apiVersion: "gateway.gatehouse.dev/v1alpha1", kind: "ProxyConfig", metadata: { name: "p", namespace: "n" }, spec });
const paths = (spec: unknown) => validateProxyConfig(pc(spec)).map((v) => v.path);

describe("validateProxyConfig", () => {
  it("accepts an empty spec and a full one", () => {
    expect(validateProxyConfig(pc(undefined))).toEqual([]);
    expect(
      validateProxyConfig(
        pc({
          deployment: { replicas: 2, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } }, image: "envoy", resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: 2 } }, env: [{ name: "A", value: "b" }] },
          pod: { labels: { "example.com/a": "b" }, annotations: { "x/y": "any text" }, nodeSelector: { zone: "a" }, tolerations: [{ operator: "Exists" }], affinity: {}, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" }], securityContext: { runAsUser: 1 }, priorityClassName: "high" },
          service: { type: "NodePort", annotations: {}, loadBalancerClass: "x", loadBalancerSourceRanges: ["10.0.0.0/8", "2001:db8::/32"], externalTrafficPolicy: "Local" },
          ipFamily: "DualStack",
          autoscaling: { minReplicas: 1, maxReplicas: 3, metrics: [{ type: "Resource", resource: {} }] },
          podDisruptionBudget: { maxUnavailable: 1 },
          envoy: { logLevel: "debug", concurrency: 2, drainSeconds: 10 },
        }),
      ),
    ).toEqual([]);
  });

  it("names each bad field", () => {
    expect(paths({ deployment: { resources: { limits: { cpu: "lots" } }, env: [{ value: "x" }] } })).toEqual([
      "spec.deployment.resources.limits[cpu]",
      "spec.deployment.env[0].name",
    ]);
    expect(paths({ pod: { labels: { "bad key!": "v" }, nodeSelector: { k: "bad value!" }, tolerations: [{ operator: "Maybe" }] } })).toEqual([
      "spec.pod.labels[bad key!]",
      "spec.pod.nodeSelector[k]",
      "spec.pod.tolerations[0].operator",
    ]);
    expect(paths({ service: { type: "ExternalName", loadBalancerSourceRanges: ["10.0.0.1"] }, ipFamily: "IPv5" })).toEqual([
      "spec.service.type",
      "spec.service.loadBalancerSourceRanges[0]",
      "spec.ipFamily",
    ]);
    expect(paths({ autoscaling: { minReplicas: 3 }, podDisruptionBudget: {}, envoy: { concurrency: 0 } })).toEqual([
      "spec.autoscaling.maxReplicas",
      "spec.podDisruptionBudget",
      "spec.envoy.concurrency",
    ]);
  });

  it("checks the envelope and never throws on junk", () => {
    expect(validateProxyConfig({ apiVersion: "v1", kind: "ConfigMap", metadata: {} }).map((v) => v.path)).toEqual(["apiVersion", "kind", "metadata.name"]);
    for (const junk of [null, 1, "x", [], { spec: [] }]) expect(() => validateProxyConfig(junk)).not.toThrow();
  });
});
