import { describe, expect, it } from "vitest";
import { proxyIpFamily } from "@gatehouse/gatewayapi";
import { clusterFactsIpFamilies, serviceIpFamilies, type ClusterFacts } from "./cluster-facts";

const facts = (ipFamilies: ClusterFacts["ipFamilies"]): ClusterFacts => ({ ipFamilies, xdsServer: { host: "x", port: 1 }, controlPlaneNamespace: "gatehouse" });

describe("IP families", () => {
  it("follows the cluster unless the user asked", () => {
    expect(proxyIpFamily(undefined, ["IPv4"])).toBe("IPv4");
    expect(proxyIpFamily(undefined, ["IPv6"])).toBe("IPv6");
    expect(proxyIpFamily(undefined, ["IPv6", "IPv4"])).toBe("DualStack");
    expect(proxyIpFamily(undefined, [])).toBe("IPv4");
    expect(proxyIpFamily("IPv6", ["IPv4"])).toBe("IPv6");
  });

  it("reads the cluster's families from Service default/kubernetes, primary first", () => {
    expect(clusterFactsIpFamilies({ spec: { ipFamilies: ["IPv6", "IPv4"] } })).toEqual(["IPv6", "IPv4"]);
    expect(clusterFactsIpFamilies({ spec: {} })).toEqual([]);
    expect(clusterFactsIpFamilies(undefined)).toEqual([]);
  });

  it("gives single-stack Services one family and dual-stack ones the cluster's primary first", () => {
    expect(serviceIpFamilies("IPv6", facts(["IPv4", "IPv6"]))).toEqual({ ipFamilies: ["IPv6"], ipFamilyPolicy: "SingleStack" });
    expect(serviceIpFamilies("DualStack", facts(["IPv6", "IPv4"]))).toEqual({ ipFamilies: ["IPv6", "IPv4"], ipFamilyPolicy: "PreferDualStack" });
    expect(serviceIpFamilies("DualStack", facts(["IPv4"]))).toEqual({ ipFamilies: ["IPv4", "IPv6"], ipFamilyPolicy: "PreferDualStack" });
  });
});
