import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EndpointSet } from "@gatehouse/ir";
import { decodeResource, encodeResource } from "../proto/resource-codec";
import { buildClusterLoadAssignment } from "./endpoint-type";
import { formatGolden, golden } from "./golden";

const SET: EndpointSet = {
  clusterName: "default/echo/8080",
  localities: [
    { zone: "", endpoints: [{ address: "10.0.0.9", port: 8080, health: "HEALTHY" }] },
    {
      zone: "eu-west-1a",
      endpoints: [
        { address: "10.0.1.1", port: 8080, health: "HEALTHY", hostname: "echo-7d9f-abcde" },
        { address: "10.0.1.2", port: 8080, health: "DRAINING", hostname: "echo-7d9f-fghij" },
      ],
    },
    { zone: "eu-west-1b", endpoints: [{ address: "fd00::1:3", port: 8080, health: "HEALTHY" }] },
    { zone: "eu-west-1c", endpoints: [] },
  ],
};

describe("buildClusterLoadAssignment", () => {
  it("matches the golden assignment: a locality per zone, health kept, empty zones left out", () => {
    const cla = buildClusterLoadAssignment(SET);
    expect(cla.name).toBe("default/echo/8080");
    const actual = formatGolden({ "@type": cla.typeUrl, ...cla.json });
    expect(actual).toBe(golden(path.join(import.meta.dirname, "testdata", "endpoints.out.json"), actual));
  });

  it("passes validation and round-trips, also with no endpoints at all", () => {
    for (const set of [SET, { clusterName: "default/empty/80", localities: [] }]) {
      const cla = buildClusterLoadAssignment(set);
      const encoded = encodeResource(cla.typeUrl, cla.json);
      expect(encoded.name).toBe(set.clusterName);
      const again = encodeResource(cla.typeUrl, decodeResource(cla.typeUrl, encoded.bytes));
      expect(again.version).toBe(encoded.version);
    }
  });

  it("is rejected when an endpoint has port 0", () => {
    const cla = buildClusterLoadAssignment({
      clusterName: "c",
      localities: [{ zone: "", endpoints: [{ address: "10.0.0.1", port: 0, health: "HEALTHY" }] }],
    });
    expect(() => encodeResource(cla.typeUrl, cla.json)).toThrow(/port_value/);
  });
});
