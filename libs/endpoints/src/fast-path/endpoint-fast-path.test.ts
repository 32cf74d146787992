import { describe, expect, it } from "vitest";
import pino from "pino";
import { Registry } from "prom-client";
import type { Cluster, EndpointSet } from "@gatehouse/ir";
import { ResourceCache } from "@gatehouse/ads";
import { messageType, TYPE_URLS } from "@gatehouse/xds";
import type { EndpointSlice } from "../endpoint-slice";
import { EndpointFastPath, type EndpointPush } from "./endpoint-fast-path";

const CLA = messageType(TYPE_URLS.endpoint);
const logger = pino({ level: "silent" });

function cluster(name: string, service: string): Cluster {
  return { name, service: { namespace: "default", name: service, port: 80, portName: "http" }, protocol: "http1", connectTimeoutMs: 10_000 };
}

function slice(name: string, service: string, ips: string[], addressType: "IPv4" | "IPv6" = "IPv4", terminating: string[] = []): EndpointSlice {
  return {
    metadata: { namespace: "default", name, labels: { "kubernetes.io/service-name": service } },
    addressType,
    ports: [{ name: "http", port: 8080 }],
    endpoints: ips.map((ip) => ({
      addresses: [ip],
      conditions: { ready: !terminating.includes(ip), serving: true, terminating: terminating.includes(ip) },
    })),
  };
}

/** "address/health" of every endpoint of a cached assignment. */
function cached(cache: ResourceCache, group: string, name: string): string[] | undefined {
  const r = cache.get(group, TYPE_URLS.endpoint, name);
  if (!r) return undefined;
  const cla = CLA.toObject(CLA.decode(r.bytes), { enums: String }) as { cluster_name: string; endpoints?: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: { address: string } } }; health_status: string }> }> };
  expect(cla.cluster_name).toBe(name);
  return (cla.endpoints ?? []).flatMap((l) => l.lb_endpoints.map((e) => `${e.endpoint.address.socket_address.address}/${e.health_status}`));
}

function setup(windowMs = 1_000) {
  const cache = new ResourceCache();
  const registry = new Registry();
  const fastPath = new EndpointFastPath({ cache, logger, windowMs, registry });
  const pushes: EndpointPush[] = [];
  fastPath.onPush((p) => pushes.push(p));
  fastPath.setGatewayClusters("default/gw", [cluster("web", "web"), cluster("api", "api")]);
  fastPath.setGatewayClusters("default/gw6", [cluster("web", "web")], "IPv6");
  fastPath.flush();
  pushes.length = 0;
  return { cache, fastPath, pushes, registry };
}

describe("EndpointFastPath", () => {
  it("gives every new cluster an assignment at once, empty when its Service has no slices", () => {
    const { cache } = setup();
    expect(cached(cache, "default/gw", "web")).toEqual([]);
    expect(cached(cache, "default/gw", "api")).toEqual([]);
    expect(cached(cache, "default/gw6", "web")).toEqual([]);
  });

  it("pushes the assignments of exactly the clusters that use the changed Service", () => {
    const { cache, fastPath, pushes } = setup();
    const apiBefore = cache.get("default/gw", TYPE_URLS.endpoint, "api");
    fastPath.applySlice(slice("web-a", "web", ["10.0.0.1", "10.0.0.2"]));
    fastPath.flush();
    expect(pushes).toEqual([{ group: "default/gw", clusters: ["web"], bytes: expect.any(Number), waitedMs: [expect.any(Number)] }]);
    expect(cached(cache, "default/gw", "web")).toEqual(["10.0.0.1/HEALTHY", "10.0.0.2/HEALTHY"]);
    expect(cache.get("default/gw", TYPE_URLS.endpoint, "api")).toBe(apiBefore);
    // The IPv6 Gateway's proxies cannot use IPv4 endpoints: nothing is pushed to them.
    expect(cached(cache, "default/gw6", "web")).toEqual([]);
  });

  it("coalesces a burst into one push per cluster with the latest state", () => {
    const { cache, fastPath, pushes } = setup();
    fastPath.applySlice(slice("web-a", "web", ["10.0.0.1", "10.0.0.2"]));
    fastPath.applySlice(slice("web-a", "web", ["10.0.0.1", "10.0.0.2"], "IPv4", ["10.0.0.1"]));
    fastPath.applySlice(slice("web-b", "web", ["10.0.0.3"]));
    fastPath.applySlice(slice("web-v6", "web", ["fd00::1"], "IPv6"));
    fastPath.deleteSlice("default", "web-b");
    fastPath.flush();
    expect(pushes.map((p) => [p.group, p.clusters])).toEqual([
      ["default/gw", ["web"]],
      ["default/gw6", ["web"]],
    ]);
    expect(cached(cache, "default/gw", "web")).toEqual(["10.0.0.1/DRAINING", "10.0.0.2/HEALTHY"]);
    expect(cached(cache, "default/gw6", "web")).toEqual(["fd00::1/HEALTHY"]);
  });

  it("flushes by itself when the window closes and records the push latency", async () => {
    const { cache, fastPath, registry } = setup(2);
    fastPath.applySlice(slice("web-a", "web", ["10.0.0.7"]));
    const deadline = Date.now() + 5_000;
    while (!cached(cache, "default/gw", "web")?.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    expect(cached(cache, "default/gw", "web")).toEqual(["10.0.0.7/HEALTHY"]);
    const metric = await registry.getSingleMetricAsString("gatehouse_xds_endpoint_push_latency_seconds");
    expect(metric).toMatch(/gatehouse_xds_endpoint_push_latency_seconds_count 4/);
  });

  it("pushes an event after a quiet window at once and coalesces what follows within the window", async () => {
    let clock = 0;
    const cache = new ResourceCache();
    const fastPath = new EndpointFastPath({ cache, logger, windowMs: 10_000, registry: new Registry(), now: () => clock });
    const pushes: EndpointPush[] = [];
    fastPath.onPush((p) => pushes.push(p));
    fastPath.setGatewayClusters("default/gw", [cluster("web", "web")]);
    fastPath.flush();
    clock = 20_000;
    fastPath.applySlice(slice("web-a", "web", ["10.0.0.1"]));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(pushes).toHaveLength(2);
    expect(cached(cache, "default/gw", "web")).toEqual(["10.0.0.1/HEALTHY"]);
    fastPath.applySlice(slice("web-a", "web", ["10.0.0.1", "10.0.0.2"]));
    fastPath.applySlice(slice("web-a", "web", ["10.0.0.1", "10.0.0.2"], "IPv4", ["10.0.0.1"]));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(pushes).toHaveLength(2);
    fastPath.flush(); // the window's timer, fired by hand
    expect(pushes).toHaveLength(3);
    expect(cached(cache, "default/gw", "web")).toEqual(["10.0.0.1/DRAINING", "10.0.0.2/HEALTHY"]);
    fastPath.stop();
  });

  it("removes the assignments of clusters a new IR drops, and of a deleted Gateway", () => {
    const { cache, fastPath } = setup();
    fastPath.setGatewayClusters("default/gw", [cluster("web", "web")]);
    expect(cached(cache, "default/gw", "api")).toBeUndefined();
    fastPath.applySlice(slice("api-a", "api", ["10.0.1.1"]));
    fastPath.flush();
    expect(cached(cache, "default/gw", "api")).toBeUndefined();
    fastPath.removeGateway("default/gw6");
    expect(cached(cache, "default/gw6", "web")).toBeUndefined();
    cache.removeGroup("default/gw");
    fastPath.removeGateway("default/gw");
    expect(cache.hasGroup("default/gw")).toBe(false);
  });

  it("encodes a Service shared by many Gateways once per push", () => {
    const { fastPath, cache } = setup();
    for (let i = 0; i < 5; i++) fastPath.setGatewayClusters(`default/gw-${i}`, [cluster("web", "web")]);
    fastPath.applySlice(slice("web-a", "web", ["10.0.0.1"]));
    fastPath.flush();
    const resources = [0, 1, 2, 3, 4].map((i) => cache.get(`default/gw-${i}`, TYPE_URLS.endpoint, "web"));
    expect(new Set(resources).size).toBe(1);
    const set: EndpointSet = fastPath.index.endpointSet(fastPath.index.cluster("default/gw-0", "web")!);
    expect(set.localities[0].endpoints).toEqual([{ address: "10.0.0.1", port: 8080, health: "HEALTHY" }]);
  });
});
