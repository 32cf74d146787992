import { describe, expect, it } from "vitest";
import { KINDS, bucketOf, isClusterScoped, kindInfo } from "./kinds";
import { apiGroup, namespaceOf, objectRef, refId } from "./kube-object";
import { stripNoise } from "./noise";

describe("kinds", () => {
  it("knows each handled kind once, with its group, plural and scope", () => {
    expect(new Set(KINDS.map((k) => k.kind)).size).toBe(KINDS.length);
    expect(kindInfo("gateway.networking.k8s.io", "HTTPRoute")).toEqual({
      group: "gateway.networking.k8s.io",
      version: "v1",
      kind: "HTTPRoute",
      plural: "httproutes",
      namespaced: true,
      bucket: "resources",
    });
    expect(kindInfo("apps", "Deployment")?.plural).toBe("deployments");
    expect(kindInfo("apps", "StatefulSet")).toBeUndefined();
    expect(kindInfo("", "HTTPRoute")).toBeUndefined();
  });

  it("sends EndpointSlices to the endpoints bucket and everything else to resources", () => {
    expect(bucketOf("EndpointSlice")).toBe("endpoints");
    expect(bucketOf("Service")).toBe("resources");
    expect(bucketOf("Event")).toBe("resources");
  });

  it("keys cluster-scoped kinds with an empty namespace and defaults the others", () => {
    expect(isClusterScoped("GatewayClass")).toBe(true);
    expect(isClusterScoped("IngressClass")).toBe(true);
    expect(isClusterScoped("Event")).toBe(false);
    expect(objectRef({ kind: "GatewayClass", metadata: { name: "gc", namespace: "x" } })).toEqual({ kind: "GatewayClass", namespace: "", name: "gc" });
    expect(refId(objectRef({ kind: "Gateway", metadata: { name: "gw" } }))).toBe("Gateway/default/gw");
    expect(namespaceOf({ kind: "Service", metadata: { namespace: "prod" } })).toBe("prod");
  });

  it("reads the group of an apiVersion", () => {
    expect(apiGroup("v1")).toBe("");
    expect(apiGroup("gateway.networking.k8s.io/v1")).toBe("gateway.networking.k8s.io");
  });
});

describe("stripNoise", () => {
  it("leaves an object without noise as it is", () => {
    const obj = { metadata: { name: "a", annotations: { team: "web" } } };
    expect(stripNoise(obj)).toBe(obj);
  });

  it("removes the annotations map when the last-applied one was its only entry", () => {
    const obj = { metadata: { name: "a", annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } } };
    expect(stripNoise(obj)).toEqual({ metadata: { name: "a" } });
    expect(obj.metadata.annotations).toBeDefined();
  });
});
