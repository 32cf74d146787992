import { describe, expect, it } from "vitest";
import type { Endpoint, EndpointSet } from "@gatehouse/ir";
import { messageType, TYPE_URLS } from "../proto/envoy-protos";
import { encodeResource } from "../proto/resource-codec";
import { ClaEncoder } from "./cla-encoder";
import { buildClusterLoadAssignment } from "./endpoint-type";

const CLA = messageType(TYPE_URLS.endpoint);

const set: EndpointSet = {
  clusterName: "httproute/default/web/rule/0",
  localities: [
    { zone: "", endpoints: [{ address: "10.0.0.9", port: 80, health: "HEALTHY" }] },
    {
      zone: "eu-west-1a",
      endpoints: [
        { address: "10.0.0.1", port: 8080, health: "HEALTHY", hostname: "web-1" },
        { address: "fd00::1", port: 65535, health: "DRAINING", hostname: "web-2" },
      ],
    },
  ],
};

/** The validated encoding of the same assignment: buildClusterLoadAssignment + encodeResource. */
function canonical(s: EndpointSet): Uint8Array {
  return encodeResource(TYPE_URLS.endpoint, buildClusterLoadAssignment(s).json).bytes;
}

describe("ClaEncoder", () => {
  it("produces the bytes of the validated encoding (buildClusterLoadAssignment + encodeResource) byte for byte", () => {
    const bytes = new ClaEncoder().encode(set);
    expect(Buffer.from(bytes).toString("hex")).toBe(Buffer.from(canonical(set)).toString("hex"));
    const decoded = CLA.toObject(CLA.decode(bytes), { enums: String });
    expect(decoded.endpoints[1].lb_endpoints[1]).toEqual({
      endpoint: { address: { socket_address: { address: "fd00::1", port_value: 65535 } }, hostname: "web-2" },
      health_status: "DRAINING",
    });
  });

  it("gives equal versions to equal content and a new version to changed content", () => {
    const a = new ClaEncoder().encodeWithVersion(set);
    const b = new ClaEncoder().encodeWithVersion({ ...set, localities: set.localities.map((l) => ({ ...l, endpoints: l.endpoints.map((e) => ({ ...e })) })) });
    expect(b.version).toBe(a.version);
    const drained = { ...set, localities: [set.localities[0], { ...set.localities[1], endpoints: [{ ...set.localities[1].endpoints[0], health: "DRAINING" as const }, set.localities[1].endpoints[1]] }] };
    expect(new ClaEncoder().encodeWithVersion(drained).version).not.toBe(a.version);
  });

  it("encodes an empty assignment (a Service without endpoints) as just its name", () => {
    const empty = { clusterName: "c", localities: [] };
    expect(Buffer.from(new ClaEncoder().encode(empty))).toEqual(Buffer.from(canonical(empty)));
  });

  it("gives the same bytes from the memo as on first encoding, and re-encodes a changed health", () => {
    const encoder = new ClaEncoder(2);
    const first = Buffer.from(encoder.encode(set));
    expect(Buffer.from(encoder.encode(set))).toEqual(first);
    const drained: EndpointSet = {
      ...set,
      localities: [set.localities[0], { ...set.localities[1], endpoints: set.localities[1].endpoints.map((e) => ({ ...e, health: "DRAINING" as const })) }],
    };
    expect(Buffer.from(encoder.encode(drained))).toEqual(Buffer.from(canonical(drained)));
    expect(encoder.memoSize).toBeLessThanOrEqual(2);
  });

  it("encodes long names and many endpoints (multi-byte lengths)", () => {
    const big: EndpointSet = {
      clusterName: "x".repeat(300),
      localities: [{ zone: "z", endpoints: Array.from({ length: 800 }, (_, i) => ({ address: `10.1.${i >> 8}.${i & 255}`, port: 1 + i, health: "HEALTHY" as const })) }],
    };
    expect(Buffer.from(new ClaEncoder().encode(big))).toEqual(Buffer.from(canonical(big)));
  });

  it("stays byte-identical and content-versioned through a long history of edits that reuse unchanged endpoint objects", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const make = (i: number, health: Endpoint["health"] = "HEALTHY"): Endpoint => ({ address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port: 8080, health, hostname: `pod-${i}` });
    const zones = new Map<string, Endpoint[]>([
      ["zone-a", Array.from({ length: 700 }, (_, i) => make(i))],
      ["zone-b", Array.from({ length: 5 }, (_, i) => make(5000 + i))],
    ]);
    let next = 10_000;
    const live = new ClaEncoder();
    for (let step = 0; step < 150; step++) {
      const zone = rnd(3) === 0 ? "zone-b" : "zone-a";
      const list = [...(zones.get(zone) ?? [])];
      const op = rnd(4);
      if (op === 0 || list.length === 0) list.splice(rnd(list.length + 1), 0, make(next++));
      else if (op === 1) list.splice(rnd(list.length), 1);
      else {
        const at = rnd(list.length);
        list[at] = { ...list[at], health: list[at].health === "HEALTHY" ? "DRAINING" : "HEALTHY" };
      }
      zones.set(zone, list);
      const current: EndpointSet = { clusterName: "c", localities: [...zones].filter(([, l]) => l.length).map(([z, endpoints]) => ({ zone: z, endpoints })) };
      const got = live.encodeWithVersion(current);
      expect(Buffer.from(got.bytes).equals(Buffer.from(canonical(current)))).toBe(true);
      // a fresh encoder (a restarted server) gives the same version to the same content
      const copy: EndpointSet = { ...current, localities: current.localities.map((l) => ({ ...l, endpoints: l.endpoints.map((e) => ({ ...e })) })) };
      if (step % 10 === 0) expect(new ClaEncoder().encodeWithVersion(copy).version).toBe(got.version);
    }
  });
});
