import { describe, expect, it } from "vitest";
import type { EndpointSet } from "@gatehouse/ir";
import { aggregateEndpoints } from "./aggregate";
import { NOT_READY, READY, slice, TERMINATING_NOT_SERVING, TERMINATING_SERVING, WEB_HTTP } from "./testdata/slices";

const v4 = (...slices: Parameters<typeof aggregateEndpoints>[0][]) =>
  aggregateEndpoints(slices.flatMap((s) => [...s]), WEB_HTTP, "IPv4", "c");

/** address → health, over all localities. */
function healthOf(set: EndpointSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of set.localities) for (const e of l.endpoints) out[`${e.address}:${e.port}`] = e.health;
  return out;
}

describe("health table", () => {
  it("serving and not terminating is HEALTHY", () => {
    const set = v4([slice("web-a", [{ ip: "10.0.0.1", conditions: READY }])]);
    expect(set).toEqual({ clusterName: "c", localities: [{ zone: "", endpoints: [{ address: "10.0.0.1", port: 8080, health: "HEALTHY" }] }] });
  });

  it("ready stands in for serving when serving is absent", () => {
    const set = v4([
      slice("web-a", [
        { ip: "10.0.0.1", conditions: { ready: true } },
        { ip: "10.0.0.2", conditions: { ready: false } },
        { ip: "10.0.0.3", conditions: {} },
      ]),
    ]);
    // ready unset means ready (Kubernetes: "nil should be interpreted as true").
    expect(healthOf(set)).toEqual({ "10.0.0.1:8080": "HEALTHY", "10.0.0.3:8080": "HEALTHY" });
  });

  it("drains a serving, terminating endpoint while a serving, non-terminating one exists", () => {
    const set = v4([slice("web-a", [{ ip: "10.0.0.1", conditions: READY }, { ip: "10.0.0.2", conditions: TERMINATING_SERVING }])]);
    expect(healthOf(set)).toEqual({ "10.0.0.1:8080": "HEALTHY", "10.0.0.2:8080": "DRAINING" });
  });

  it("falls back to HEALTHY for terminating, serving endpoints when none serves without terminating", () => {
    const set = v4([
      slice("web-a", [
        { ip: "10.0.0.1", conditions: TERMINATING_SERVING },
        { ip: "10.0.0.2", conditions: TERMINATING_SERVING },
        { ip: "10.0.0.3", conditions: NOT_READY },
      ]),
    ]);
    expect(healthOf(set)).toEqual({ "10.0.0.1:8080": "HEALTHY", "10.0.0.2:8080": "HEALTHY" });
  });

  it("leaves out endpoints that do not serve, terminating or not", () => {
    const set = v4([
      slice("web-a", [
        { ip: "10.0.0.1", conditions: READY },
        { ip: "10.0.0.2", conditions: NOT_READY },
        { ip: "10.0.0.3", conditions: TERMINATING_NOT_SERVING },
        // serving says no even though the (older) ready field says yes: serving wins.
        { ip: "10.0.0.4", conditions: { ready: true, serving: false } },
      ]),
    ]);
    expect(healthOf(set)).toEqual({ "10.0.0.1:8080": "HEALTHY" });
  });

  it("counts only endpoints the proxy can reach when deciding the fallback", () => {
    // The only non-terminating pod is IPv6: an IPv4 proxy cannot use it, so its
    // terminating IPv4 endpoints stay HEALTHY rather than all DRAINING.
    const slices = [
      slice("web-v4", [{ ip: "10.0.0.1", conditions: TERMINATING_SERVING }]),
      slice("web-v6", [{ ip: "fd00::2", conditions: READY }], { addressType: "IPv6" }),
    ];
    expect(healthOf(aggregateEndpoints(slices, WEB_HTTP, "IPv4", "c"))).toEqual({ "10.0.0.1:8080": "HEALTHY" });
    expect(healthOf(aggregateEndpoints(slices, WEB_HTTP, "DualStack", "c"))).toEqual({
      "10.0.0.1:8080": "DRAINING",
      "fd00::2:8080": "HEALTHY",
    });
  });
});

describe("slice situations", () => {
  const pods = [
    { ip: "10.0.0.1", zone: "a" },
    { ip: "10.0.0.2", zone: "b" },
    { ip: "10.0.0.3", zone: "a" },
    { ip: "10.0.0.4", zone: "b" },
  ];
  const expected: EndpointSet = {
    clusterName: "c",
    localities: [
      {
        zone: "a",
        endpoints: [
          { address: "10.0.0.1", port: 8080, health: "HEALTHY" },
          { address: "10.0.0.3", port: 8080, health: "HEALTHY" },
        ],
      },
      {
        zone: "b",
        endpoints: [
          { address: "10.0.0.2", port: 8080, health: "HEALTHY" },
          { address: "10.0.0.4", port: 8080, health: "HEALTHY" },
        ],
      },
    ],
  };

  it("groups endpoints by zone, localities by zone and endpoints by address", () => {
    expect(v4([slice("web-a", [...pods].reverse())])).toEqual(expected);
  });

  it("gives the same set when a slice is split in two", () => {
    expect(v4([slice("web-a", pods.slice(0, 2)), slice("web-b", pods.slice(2))])).toEqual(expected);
  });

  it("gives the same set when two slices are merged into one", () => {
    expect(v4([slice("web-b", pods)])).toEqual(expected);
  });

  it("gives an empty set to a Service with no slices", () => {
    expect(v4([])).toEqual({ clusterName: "c", localities: [] });
  });

  it("counts an address present in two slices (a move) once, with its more available state", () => {
    const old = slice("web-a", [{ ip: "10.0.0.1", conditions: READY }]);
    const moved = slice("web-b", [{ ip: "10.0.0.1", conditions: TERMINATING_SERVING }, { ip: "10.0.0.2" }]);
    const want = { "10.0.0.1:8080": "HEALTHY", "10.0.0.2:8080": "HEALTHY" };
    expect(healthOf(v4([old, moved]))).toEqual(want);
    expect(healthOf(v4([moved, old]))).toEqual(want);
    const endpoints = v4([old, moved]).localities.flatMap((l) => l.endpoints);
    expect(endpoints).toHaveLength(2);
  });

  it("follows an address-type change: IPv4 slices replaced by IPv6 ones", () => {
    const before = [slice("web-v4", [{ ip: "10.0.0.1" }])];
    const after = [slice("web-v6", [{ ip: "fd00::1" }], { addressType: "IPv6" })];
    expect(healthOf(aggregateEndpoints(before, WEB_HTTP, "IPv6", "c"))).toEqual({});
    expect(healthOf(aggregateEndpoints(after, WEB_HTTP, "IPv6", "c"))).toEqual({ "fd00::1:8080": "HEALTHY" });
    expect(healthOf(aggregateEndpoints(after, WEB_HTTP, "IPv4", "c"))).toEqual({});
  });

  it("ignores FQDN slices and endpoints without addresses", () => {
    const set = v4([
      slice("web-fqdn", [{ ip: "backend.example.com" }], { addressType: "FQDN" }),
      { ...slice("web-a", [{ ip: "10.0.0.1" }]), endpoints: [{ addresses: [] }, { addresses: ["10.0.0.1"] }] },
    ]);
    expect(healthOf(set)).toEqual({ "10.0.0.1:8080": "HEALTHY" });
  });

  it("names endpoints after their pod", () => {
    const set = v4([slice("web-a", [{ ip: "10.0.0.1", pod: "web-7d9-abcde" }])]);
    expect(set.localities[0].endpoints[0]).toEqual({ address: "10.0.0.1", port: 8080, health: "HEALTHY", hostname: "web-7d9-abcde" });
  });
});

describe("ports", () => {
  it("takes the port number from the slice port named like the Service port", () => {
    const set = v4([
      slice("web-a", [{ ip: "10.0.0.1" }], { ports: [{ name: "metrics", port: 9090 }, { name: "http", port: 8081 }] }),
    ]);
    expect(healthOf(set)).toEqual({ "10.0.0.1:8081": "HEALTHY" });
  });

  it("uses each slice's own number when a named targetPort resolves differently per pod", () => {
    const set = v4([
      slice("web-a", [{ ip: "10.0.0.1" }], { ports: [{ name: "http", port: 8080 }] }),
      slice("web-b", [{ ip: "10.0.0.2" }], { ports: [{ name: "http", port: 9000 }] }),
    ]);
    expect(healthOf(set)).toEqual({ "10.0.0.1:8080": "HEALTHY", "10.0.0.2:9000": "HEALTHY" });
  });

  it("matches the unnamed port of a single-port Service", () => {
    const ref = { ...WEB_HTTP, portName: "" };
    const set = aggregateEndpoints([slice("web-a", [{ ip: "10.0.0.1" }], { ports: [{ name: "", port: 3000 }] })], ref, "IPv4", "c");
    expect(healthOf(set)).toEqual({ "10.0.0.1:3000": "HEALTHY" });
  });

  it("falls back to the numeric targetPort for unnamed slice ports", () => {
    const ref = { ...WEB_HTTP, portName: "web", targetPort: 8080 };
    const set = aggregateEndpoints(
      [slice("web-a", [{ ip: "10.0.0.1" }], { ports: [{ port: 9999 }, { port: 8080 }] })],
      ref,
      "IPv4",
      "c",
    );
    expect(healthOf(set)).toEqual({ "10.0.0.1:8080": "HEALTHY" });
  });

  it("skips slices without a matching port", () => {
    const set = v4([
      slice("web-a", [{ ip: "10.0.0.1" }], { ports: [{ name: "grpc", port: 8080 }] }),
      slice("web-b", [{ ip: "10.0.0.2" }], { ports: null }),
    ]);
    expect(set.localities).toEqual([]);
  });
});

describe("IP family", () => {
  const dual = [
    slice("web-v4", [
      { ip: "10.0.0.1", pod: "p1" },
      { ip: "10.0.0.2", pod: "p2" },
    ]),
    slice(
      "web-v6",
      [
        { ip: "fd00::1", pod: "p1" },
        { ip: "fd00::2", pod: "p2" },
        { ip: "fd00::3", pod: "p3" },
      ],
      { addressType: "IPv6" },
    ),
  ];

  it("gives an IPv4 proxy the IPv4 addresses only", () => {
    expect(Object.keys(healthOf(aggregateEndpoints(dual, WEB_HTTP, "IPv4", "c")))).toEqual(["10.0.0.1:8080", "10.0.0.2:8080"]);
  });

  it("gives an IPv6 proxy the IPv6 addresses only", () => {
    expect(Object.keys(healthOf(aggregateEndpoints(dual, WEB_HTTP, "IPv6", "c")))).toEqual([
      "fd00::1:8080",
      "fd00::2:8080",
      "fd00::3:8080",
    ]);
  });

  it("gives a DualStack proxy each pod once: IPv4 when it has one, else IPv6", () => {
    expect(Object.keys(healthOf(aggregateEndpoints(dual, WEB_HTTP, "DualStack", "c")))).toEqual([
      "10.0.0.1:8080",
      "10.0.0.2:8080",
      "fd00::3:8080",
    ]);
  });
});
