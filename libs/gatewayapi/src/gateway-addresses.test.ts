import { describe, expect, it } from "vitest";
import { addressVerdict, MAX_STATUS_ADDRESSES, serviceAddresses } from "./gateway-addresses";
import type { KubeObject } from "./kube-types";

const service = (spec: object, status?: object) => ({ apiVersion: "v1", kind: "Service", metadata: { name: "gatehouse-gw", namespace: "apps" }, spec, status }) as KubeObject;

describe("Gateway addresses from the proxy Service", () => {
  it("takes a LoadBalancer's ingress IPs and hostnames, without duplicates, and never its cluster IP", () => {
    const svc = service({ type: "LoadBalancer", clusterIP: "10.0.0.1" }, { loadBalancer: { ingress: [{ ip: "203.0.113.1" }, { hostname: "lb.example.com" }, { ip: "203.0.113.1" }, { ip: "not-an-ip" }] } });
    expect(serviceAddresses(svc)).toEqual([
      { type: "IPAddress", value: "203.0.113.1" },
      { type: "Hostname", value: "lb.example.com" },
    ]);
    expect(serviceAddresses(service({ type: "LoadBalancer", clusterIP: "10.0.0.1" }))).toEqual([]);
  });

  it("takes every cluster IP of other Service types, and none of a headless one", () => {
    expect(serviceAddresses(service({ type: "ClusterIP", clusterIP: "10.0.0.1", clusterIPs: ["10.0.0.1", "fd00::1"] }))).toEqual([
      { type: "IPAddress", value: "10.0.0.1" },
      { type: "IPAddress", value: "fd00::1" },
    ]);
    expect(serviceAddresses(service({ type: "NodePort", clusterIP: "10.0.0.2" }))).toEqual([{ type: "IPAddress", value: "10.0.0.2" }]);
    expect(serviceAddresses(service({ type: "ClusterIP", clusterIP: "None" }))).toEqual([]);
  });
});

describe("addressVerdict", () => {
  const assigned = [
    { type: "IPAddress" as const, value: "2001:db8::1" },
    { type: "Hostname" as const, value: "LB.example.com" },
  ];

  it("honours a requested IPv6 address however it is spelt, and a hostname whatever its case", () => {
    expect(addressVerdict([{ type: "IPAddress", value: "2001:0db8:0:0::1" }, { type: "Hostname", value: "lb.EXAMPLE.com" }], assigned, "svc")).toEqual({ addresses: assigned });
  });

  it("reports a requested value the Service lacks as AddressNotUsable, before a type it lacks", () => {
    const v = addressVerdict([{ value: "192.0.2.1" }, { type: "Hostname" }], [{ type: "IPAddress", value: "192.0.2.2" }], "svc");
    expect(v.programmed?.reason).toBe("AddressNotUsable");
    expect(v.programmed?.message).toContain("192.0.2.1");
    expect(v.addresses).toEqual([{ type: "IPAddress", value: "192.0.2.2" }]);
  });

  it("reports a Service without addresses as AddressNotAssigned whatever was requested", () => {
    expect(addressVerdict([], [], "gatehouse-gw")).toEqual({
      addresses: [],
      programmed: { reason: "AddressNotAssigned", message: "No address is assigned to the proxy Service gatehouse-gw yet" },
    });
  });

  it("lists at most the CRD's 16 addresses", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ type: "IPAddress" as const, value: `192.0.2.${i + 1}` }));
    expect(addressVerdict([], many, "svc").addresses).toHaveLength(MAX_STATUS_ADDRESSES);
  });
});
