import { describe, expect, it } from "vitest";
import type { GatewayClassInput, GatewayInput } from "./gateway-input";
import { mergeProxyConfigSpecs } from "./merge-parameters";
import { resolveGatewayClassParameters, resolveProxyParameters } from "./resolve-parameters";

const ref = (name: string, namespace?: string) => ({ group: "gateway.gatehouse.dev", kind: "ProxyConfig", name, ...(namespace ? { namespace } : {}) });
const proxyConfig = (namespace: string, name: string, spec: unknown) => ({ apiVersion: "gateway.gatehouse.dev/v1alpha1", kind: "ProxyConfig", metadata: { namespace, name }, spec });

function store(...objects: ReturnType<typeof proxyConfig>[]) {
  return (namespace: string, name: string) => objects.find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
}

const gatewayClass = (parametersRef?: object): GatewayClassInput => ({ metadata: { name: "gatehouse" }, spec: { controllerName: "x", parametersRef } });
const gateway = (parametersRef?: object): GatewayInput => ({
  metadata: { namespace: "apps", name: "edge" },
  spec: { gatewayClassName: "gatehouse", infrastructure: parametersRef ? { parametersRef } : undefined },
});

describe("resolveProxyParameters", () => {
  it("gives empty parameters when nothing is referenced", () => {
    expect(resolveProxyParameters(gatewayClass(), gateway(), store())).toEqual({ ok: true, spec: {} });
  });

  it("reads the Gateway's reference in the Gateway's own namespace and lets it win", () => {
    const lookup = store(
      proxyConfig("gatehouse", "base", { deployment: { replicas: 2 }, envoy: { logLevel: "warning" } }),
      proxyConfig("apps", "edge", { deployment: { replicas: 5 } }),
      proxyConfig("gatehouse", "edge", { deployment: { replicas: 9 } }),
    );
    const result = resolveProxyParameters(gatewayClass(ref("base", "gatehouse")), gateway(ref("edge")), lookup);
    expect(result).toEqual({ ok: true, spec: { deployment: { replicas: 5 }, envoy: { logLevel: "warning" } } });
  });

  it("reports a bad Gateway reference on the Gateway and a bad class reference on the class", () => {
    const onGateway = resolveProxyParameters(gatewayClass(), gateway({ group: "", kind: "Secret", name: "x" }), store());
    expect(onGateway).toMatchObject({ ok: false, on: "Gateway", condition: { reason: "InvalidParameters" } });
    const onClass = resolveGatewayClassParameters(gatewayClass(ref("gone", "gatehouse")), store());
    expect(onClass).toEqual({
      ok: false,
      on: "GatewayClass",
      condition: { type: "Accepted", status: "False", reason: "InvalidParameters", message: "spec.parametersRef: ProxyConfig gatehouse/gone not found" },
    });
  });

  it("never throws on garbage stored under the referenced name", () => {
    for (const junk of [42, "text", [], { spec: "no" }, { apiVersion: "gateway.gatehouse.dev/v1alpha1", kind: "ProxyConfig", metadata: { name: "x" }, spec: { pod: [] } }]) {
      const result = resolveGatewayClassParameters(gatewayClass(ref("x", "ns")), () => junk);
      expect(result.ok).toBe(false);
    }
  });

  it("names every invalid field, and counts those it does not quote", () => {
    const bad = proxyConfig("gatehouse", "bad", {
      deployment: { replicas: -1 },
      service: { loadBalancerSourceRanges: ["10.0.0.0/33"] },
      envoy: { logLevel: "loud", concurrency: 0 },
    });
    const result = resolveGatewayClassParameters(gatewayClass(ref("bad", "gatehouse")), store(bad));
    if (result.ok) throw new Error("expected InvalidParameters");
    expect(result.condition.message).toContain("spec.deployment.replicas");
    expect(result.condition.message).toContain("spec.service.loadBalancerSourceRanges[0]");
    expect(result.condition.message).toContain("spec.envoy.logLevel");
    expect(result.condition.message).toContain("(and 1 more)");
  });
});

describe("mergeProxyConfigSpecs", () => {
  it("merges maps per key, groups per field, and replaces other values whole without touching its inputs", () => {
    const base = {
      pod: { labels: { a: "1", b: "1" }, tolerations: [{ key: "x", operator: "Exists" as const }] },
      deployment: { resources: { requests: { cpu: "1", memory: "1Gi" } }, replicas: 2 },
      podDisruptionBudget: { minAvailable: 1 },
    };
    const override = {
      pod: { labels: { b: "2" }, tolerations: [] },
      deployment: { resources: { requests: { cpu: "2" } } },
      podDisruptionBudget: { maxUnavailable: "10%" },
    };
    const baseCopy = structuredClone(base);
    expect(mergeProxyConfigSpecs(base, override)).toEqual({
      pod: { labels: { a: "1", b: "2" }, tolerations: [] },
      deployment: { resources: { requests: { cpu: "2" } }, replicas: 2 },
      podDisruptionBudget: { maxUnavailable: "10%" },
    });
    expect(base).toEqual(baseCopy);
  });
});
