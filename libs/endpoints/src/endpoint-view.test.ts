import { describe, expect, it } from "vitest";
import type { IPFamily } from "@gatehouse/ir";
import { seededRandom } from "@gatehouse/testing";
import { aggregateEndpoints } from "./aggregate";
import type { EndpointConditions, EndpointSlice } from "./endpoint-slice";
import { EndpointView } from "./endpoint-view";
import { WEB_HTTP } from "./testdata/slices";

const CONDITIONS: EndpointConditions[] = [
  { ready: true, serving: true, terminating: false },
  { ready: false, serving: true, terminating: true },
  { ready: false, serving: false, terminating: true },
  { ready: false, serving: false, terminating: false },
  { ready: true },
  {},
];

/** A random slice drawn from a small pool of addresses, so slices overlap (moves). */
function randomSlice(rnd: () => number, name: string): EndpointSlice {
  const v6 = rnd() < 0.3;
  const count = Math.floor(rnd() * 8);
  return {
    metadata: { namespace: "default", name, labels: { "kubernetes.io/service-name": "web" } },
    addressType: v6 ? "IPv6" : "IPv4",
    ports: rnd() < 0.1 ? [{ name: "other", port: 1 }] : [{ name: "http", port: rnd() < 0.8 ? 8080 : 9090 }],
    endpoints: Array.from({ length: count }, () => {
      const n = Math.floor(rnd() * 12);
      return {
        addresses: [v6 ? `fd00::${n}` : `10.0.0.${n}`],
        conditions: CONDITIONS[Math.floor(rnd() * CONDITIONS.length)],
        zone: ["a", "b", ""][Math.floor(rnd() * 3)],
        targetRef: rnd() < 0.7 ? { kind: "Pod", name: `pod-${n}` } : undefined,
      };
    }),
  };
}

describe("EndpointView", () => {
  for (const family of ["IPv4", "IPv6", "DualStack"] as IPFamily[]) {
    it(`equals aggregateEndpoints after every step of random slice histories (${family})`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const rnd = seededRandom(seed);
        const view = new EndpointView(WEB_HTTP, family);
        const slices = new Map<string, EndpointSlice>();
        for (let step = 0; step < 60; step++) {
          const name = `web-${Math.floor(rnd() * 5)}`;
          const key = `default/${name}`;
          const current = slices.get(key);
          if (rnd() < 0.2) {
            slices.delete(key);
            view.applySlice(key, undefined);
          } else if (current && rnd() < 0.5) {
            // The common event: the same endpoints, some with new conditions (or zone).
            const changed: EndpointSlice = {
              ...current,
              // Unchanged endpoints are the same objects (as the bus decoder gives them) or copies.
              endpoints: (current.endpoints ?? []).map((e) =>
                rnd() < 0.3 ? { ...e, conditions: CONDITIONS[Math.floor(rnd() * CONDITIONS.length)], zone: rnd() < 0.2 ? "b" : e.zone } : rnd() < 0.5 ? e : { ...e },
              ),
            };
            slices.set(key, changed);
            view.applySlice(key, changed);
          } else {
            const s = randomSlice(rnd, name);
            slices.set(key, s);
            view.applySlice(key, s);
          }
          if (rnd() < 0.5) continue; // let changes pile up between reads, as coalescing does
          expect(view.endpointSet("c"), `seed ${seed} step ${step}`).toEqual(aggregateEndpoints(slices.values(), WEB_HTTP, family, "c"));
        }
        expect(view.endpointSet("c")).toEqual(aggregateEndpoints(slices.values(), WEB_HTTP, family, "c"));
      }
    });
  }

  it("keeps the arrays and endpoint objects of unchanged zones", () => {
    const view = new EndpointView(WEB_HTTP, "IPv4");
    const slice = (ip: string, zone: string, conditions: EndpointConditions): EndpointSlice => ({
      metadata: { namespace: "default", name: zone, labels: { "kubernetes.io/service-name": "web" } },
      addressType: "IPv4",
      ports: [{ name: "http", port: 8080 }],
      endpoints: [{ addresses: [ip], conditions, zone }],
    });
    view.applySlice("default/a", slice("10.0.0.1", "a", CONDITIONS[0]));
    view.applySlice("default/b", slice("10.0.0.2", "b", CONDITIONS[0]));
    const before = view.endpointSet("c");
    view.applySlice("default/b", slice("10.0.0.2", "b", CONDITIONS[1]));
    const after = view.endpointSet("c");
    expect(after.localities[0].endpoints).toBe(before.localities[0].endpoints);
    expect(after.localities[1].endpoints[0]).toEqual({ address: "10.0.0.2", port: 8080, health: "DRAINING" });
  });
});
