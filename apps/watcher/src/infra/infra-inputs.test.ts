import { describe, expect, it } from "vitest";
import type { ApiObject } from "@gatehouse/kube-client";
import { InfraInputs } from "./infra-inputs";

const OURS = "gatehouse.dev/gateway-controller";
const ref = (name: string, namespace?: string) => ({ group: "gateway.gatehouse.dev", kind: "ProxyConfig", name, ...(namespace ? { namespace } : {}) });
const gatewayClass = (name: string, controllerName = OURS, parametersRef?: object) =>
  ({ apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name }, spec: { controllerName, parametersRef } }) as unknown as ApiObject;
const gateway = (name: string, className: string, opts: { generation?: number; uid?: string; parametersRef?: object } = {}) =>
  ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name, namespace: "apps", uid: opts.uid ?? `uid-${name}`, generation: opts.generation ?? 1 },
    spec: { gatewayClassName: className, infrastructure: opts.parametersRef ? { parametersRef: opts.parametersRef } : undefined },
  }) as unknown as ApiObject;
const proxyConfig = (namespace: string, name: string) => ({ apiVersion: "gateway.gatehouse.dev/v1alpha1", kind: "ProxyConfig", metadata: { namespace, name }, spec: {} }) as unknown as ApiObject;
const service = (namespace: string, name: string, ipFamilies: string[]) => ({ apiVersion: "v1", kind: "Service", metadata: { namespace, name }, spec: { ipFamilies } }) as unknown as ApiObject;

function inputs(): InfraInputs {
  const i = new InfraInputs(OURS);
  i.update("added", gatewayClass("gatehouse", OURS, ref("class-defaults", "gatehouse")));
  i.update("added", gatewayClass("theirs", "example.com/other"));
  i.update("added", gateway("a", "gatehouse"));
  i.update("added", gateway("b", "gatehouse", { parametersRef: ref("b-params") }));
  i.update("added", gateway("c", "theirs", { parametersRef: ref("b-params") }));
  return i;
}

describe("InfraInputs", () => {
  it("re-renders only the Gateways whose parametersRef chain names a changed ProxyConfig", () => {
    const i = inputs();
    expect(i.update("modified", proxyConfig("gatehouse", "class-defaults"))).toEqual(["apps/a", "apps/b"]);
    // c names it too, but its class is not ours.
    expect(i.update("modified", proxyConfig("apps", "b-params"))).toEqual(["apps/b"]);
    expect(i.update("added", proxyConfig("apps", "unrelated"))).toEqual([]);
    expect(i.lookup("apps", "b-params")).toBeDefined();
    expect(i.update("deleted", proxyConfig("apps", "b-params"))).toEqual(["apps/b"]);
    expect(i.lookup("apps", "b-params")).toBeUndefined();
  });

  it("ignores a Gateway write that changes neither generation nor uid (a status write), not a new generation or a re-created Gateway", () => {
    const i = inputs();
    expect(i.update("modified", gateway("a", "gatehouse"))).toEqual([]);
    expect(i.update("modified", gateway("a", "gatehouse", { generation: 2 }))).toEqual(["apps/a"]);
    expect(i.update("deleted", gateway("a", "gatehouse", { generation: 2 }))).toEqual(["apps/a"]);
    expect(i.update("added", gateway("a", "gatehouse", { uid: "new" }))).toEqual(["apps/a"]);
  });

  it("follows our GatewayClasses only, and a class handed to another controller affects its Gateways", () => {
    const i = inputs();
    expect(i.update("modified", gatewayClass("theirs", "example.com/other"))).toEqual([]);
    expect(i.classOf(i.gateways.get("apps/c")!)).toBeUndefined();
    expect(i.update("modified", gatewayClass("theirs", OURS))).toEqual(["apps/c"]);
    expect(i.classOf(i.gateways.get("apps/c")!)).toBeDefined();
    expect(i.update("modified", gatewayClass("gatehouse", "example.com/other"))).toEqual(["apps/a", "apps/b"]);
    expect(i.classOf(i.gateways.get("apps/a")!)).toBeUndefined();
  });

  it("takes the cluster's IP families from Service default/kubernetes only, and re-renders everything when they change", () => {
    const i = inputs();
    expect(i.update("added", service("apps", "kubernetes", ["IPv6"]))).toEqual([]);
    expect(i.ipFamilies).toEqual([]);
    expect(i.update("added", service("default", "kubernetes", ["IPv6", "IPv4"]))).toEqual(["apps/a", "apps/b", "apps/c"]);
    expect(i.ipFamilies).toEqual(["IPv6", "IPv4"]);
    expect(i.update("modified", service("default", "kubernetes", ["IPv6", "IPv4"]))).toEqual([]);
  });
});
