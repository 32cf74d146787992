import { describe, expect, it } from "vitest";
import type { EndpointSet } from "@gatehouse/ir";
import { ServiceEndpointsIndex, type ClusterRegistration } from "./service-endpoints-index";
import { READY, slice, TERMINATING_SERVING, WEB_HTTP } from "./testdata/slices";

const webV4: ClusterRegistration = { group: "default/gw", cluster: "web-80", service: WEB_HTTP, family: "IPv4" };
const webV6: ClusterRegistration = { group: "default/gw6", cluster: "web-80", service: WEB_HTTP, family: "IPv6" };
const api: ClusterRegistration = {
  group: "default/gw",
  cluster: "api-80",
  service: { namespace: "default", name: "api", port: 80, portName: "http" },
  family: "IPv4",
};

function addresses(set: EndpointSet): string[] {
  return set.localities.flatMap((l) => l.endpoints.map((e) => `${e.address}:${e.port}/${e.health}`));
}

function names(regs: ClusterRegistration[]): string[] {
  return regs.map((r) => `${r.group}|${r.cluster}`).sort();
}

function indexWithClusters(): ServiceEndpointsIndex {
  const index = new ServiceEndpointsIndex();
  index.setGroupClusters("default/gw", [webV4, api]);
  index.setGroupClusters("default/gw6", [webV6]);
  return index;
}

describe("ServiceEndpointsIndex", () => {
  it("reports only the clusters of the slice's Service whose family reaches its address type", () => {
    const index = indexWithClusters();
    expect(names(index.upsertSlice(slice("web-a", [{ ip: "10.0.0.1" }])))).toEqual(["default/gw|web-80"]);
    expect(names(index.upsertSlice(slice("web-v6", [{ ip: "fd00::1" }], { addressType: "IPv6" })))).toEqual(["default/gw6|web-80"]);
    expect(names(index.upsertSlice(slice("api-a", [{ ip: "10.0.1.1" }], { service: "api" })))).toEqual(["default/gw|api-80"]);
    expect(index.upsertSlice(slice("other-a", [{ ip: "10.0.2.1" }], { service: "other" }))).toEqual([]);
    expect(addresses(index.endpointSet(webV4))).toEqual(["10.0.0.1:8080/HEALTHY"]);
    expect(addresses(index.endpointSet(webV6))).toEqual(["fd00::1:8080/HEALTHY"]);
  });

  it("recomputes a Service after each slice event: split, then deletion of a slice", () => {
    const index = indexWithClusters();
    index.upsertSlice(slice("web-a", [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }]));
    index.upsertSlice(slice("web-a", [{ ip: "10.0.0.1" }]));
    index.upsertSlice(slice("web-b", [{ ip: "10.0.0.2" }]));
    expect(addresses(index.endpointSet(webV4))).toEqual(["10.0.0.1:8080/HEALTHY", "10.0.0.2:8080/HEALTHY"]);
    expect(names(index.deleteSlice("default", "web-a"))).toEqual(["default/gw|web-80"]);
    expect(addresses(index.endpointSet(webV4))).toEqual(["10.0.0.2:8080/HEALTHY"]);
    expect(index.deleteSlice("default", "web-a")).toEqual([]);
    expect(index.sliceCount).toBe(1);
  });

  it("follows an address-type change of a Service across proxies of both families", () => {
    const index = indexWithClusters();
    index.upsertSlice(slice("web-v4", [{ ip: "10.0.0.1" }]));
    expect(names(index.upsertSlice(slice("web-v6", [{ ip: "fd00::1" }], { addressType: "IPv6" })))).toEqual(["default/gw6|web-80"]);
    expect(names(index.deleteSlice("default", "web-v4"))).toEqual(["default/gw|web-80"]);
    expect(addresses(index.endpointSet(webV4))).toEqual([]);
    expect(addresses(index.endpointSet(webV6))).toEqual(["fd00::1:8080/HEALTHY"]);
  });

  it("applies the health table across all slices of the Service", () => {
    const index = indexWithClusters();
    index.upsertSlice(slice("web-a", [{ ip: "10.0.0.1", conditions: TERMINATING_SERVING }]));
    expect(addresses(index.endpointSet(webV4))).toEqual(["10.0.0.1:8080/HEALTHY"]);
    index.upsertSlice(slice("web-b", [{ ip: "10.0.0.2", conditions: READY }]));
    expect(addresses(index.endpointSet(webV4))).toEqual(["10.0.0.1:8080/DRAINING", "10.0.0.2:8080/HEALTHY"]);
  });

  it("moves a slice whose Service label changes", () => {
    const index = indexWithClusters();
    index.upsertSlice(slice("x", [{ ip: "10.0.0.1" }]));
    expect(names(index.upsertSlice(slice("x", [{ ip: "10.0.0.1" }], { service: "api" })))).toEqual([
      "default/gw|api-80",
      "default/gw|web-80",
    ]);
    expect(addresses(index.endpointSet(webV4))).toEqual([]);
    expect(addresses(index.endpointSet(api))).toEqual(["10.0.0.1:8080/HEALTHY"]);
  });

  it("shares one aggregation between clusters of the same Service port and family", () => {
    const index = indexWithClusters();
    const other: ClusterRegistration = { ...webV4, group: "default/other", cluster: "web-80-b" };
    index.setGroupClusters("default/other", [other]);
    index.upsertSlice(slice("web-a", [{ ip: "10.0.0.1" }]));
    const a = index.endpointSet(webV4);
    const b = index.endpointSet(other);
    expect(b.clusterName).toBe("web-80-b");
    expect(b.localities).toBe(a.localities);
    index.upsertSlice(slice("web-a", [{ ip: "10.0.0.2" }]));
    expect(addresses(index.endpointSet(other))).toEqual(["10.0.0.2:8080/HEALTHY"]);
  });

  it("replaces a group's clusters: reports new or changed ones and removed ones", () => {
    const index = indexWithClusters();
    const renamedPort = { ...webV4, service: { ...WEB_HTTP, portName: "web" } };
    const result = index.setGroupClusters("default/gw", [renamedPort]);
    expect(names(result.changed)).toEqual(["default/gw|web-80"]);
    expect(names(result.removed)).toEqual(["default/gw|api-80"]);
    expect(index.setGroupClusters("default/gw", [renamedPort])).toEqual({ changed: [], removed: [] });
    expect(index.upsertSlice(slice("api-a", [{ ip: "10.0.1.1" }], { service: "api" }))).toEqual([]);
    expect(names(index.removeGroup("default/gw"))).toEqual(["default/gw|web-80"]);
    expect(names(index.clustersOfGroup("default/gw6"))).toEqual(["default/gw6|web-80"]);
  });
});
