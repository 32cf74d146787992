import { describe, expect, it } from "vitest";
import { proxyIpFamily, serviceIpFamilies, type ClusterFacts } from "./cluster-facts";

const facts = (ipFamilies: ClusterFacts["ipFamilies"]): ClusterFacts => ({ ipFamilies, xdsServer: { host: "x", port: 1 }, controlPlaneNamespace: "gatehouse" });

describe("IP families", () => {
  it("follows the cluster unless the user asked", () => {
    expect(proxyIpFamily(undefined, facts(["IPv4"]))).toBe("IPv4");
    expect(proxyIpFamily(undefined, facts(["IPv6"]))).toBe("IPv6");
    expect(proxyIpFamily(undefined, facts(["IPv6", "IPv4"]))).toBe("DualStack");
    expect(proxyIpFamily(undefined, facts([]))).toBe("IPv4");
    expect(proxyIpFamily("IPv6", facts(["IPv4"]))).toBe("IPv6");
  });

  it("gives single-stack Services one family and dual-stack ones the cluster's primary first", () => {
    expect(serviceIpFamilies("IPv6", facts(["IPv4", "IPv6"]))).toEqual({ ipFamilies: ["IPv6"], ipFamilyPolicy: "SingleStack" });
    expect(serviceIpFamilies("DualStack", facts(["IPv6", "IPv4"]))).toEqual({ ipFamilies: ["IPv6", "IPv4"], ipFamilyPolicy: "PreferDualStack" });
    expect(serviceIpFamilies("DualStack", facts(["IPv4"]))).toEqual({ ipFamilies: ["IPv4", "IPv6"], ipFamilyPolicy: "PreferDualStack" });
  });
});
