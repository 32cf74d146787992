import { encodeKey } from "@gatehouse/bus";
import { contentHash } from "@gatehouse/ir";
import { describe, expect, it } from "vitest";
import { diffStatusRecords, ingressStatusRecords } from "./ingress-status-records";

const target = (name: string, gateway: string) => ({ ingress: { kind: "Ingress", namespace: "shop", name }, generation: 3, gateway: { namespace: "gatehouse-system", name: gateway } });

describe("ingress status records", () => {
  it("gives each Ingress its Gateway's addresses, and an empty loadBalancer while the Gateway has none", () => {
    const records = ingressStatusRecords([target("a", "gatehouse"), target("b", "edge")], new Map([["gatehouse-system/gatehouse", { addresses: [{ type: "IPAddress", value: "192.0.2.7" }] }]]));
    expect(records.get(encodeKey({ kind: "Ingress", namespace: "shop", name: "a" }))).toEqual({
      ref: { group: "networking.k8s.io", kind: "Ingress", namespace: "shop", name: "a" },
      observedGeneration: 3,
      status: { loadBalancer: { ingress: [{ ip: "192.0.2.7" }] } },
    });
    expect(records.get(encodeKey({ kind: "Ingress", namespace: "shop", name: "b" }))?.status).toEqual({ loadBalancer: {} });
  });

  it("puts only what differs from the bucket and deletes what is no longer wanted", () => {
    const wanted = ingressStatusRecords([target("a", "gatehouse"), target("b", "gatehouse")], new Map());
    const [keyA, keyB] = [...wanted.keys()];
    const stale = encodeKey({ kind: "Ingress", namespace: "shop", name: "gone" });
    const diff = diffStatusRecords(new Map([[keyA, contentHash(wanted.get(keyA))], [stale, "x"]]), wanted);
    expect(diff.puts.map((p) => p.key)).toEqual([keyB]);
    expect(diff.deletes).toEqual([stale]);
  });
});
