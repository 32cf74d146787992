import { describe, expect, it } from "vitest";
import { messageType, TYPE_URLS } from "@gatehouse/xds";
import { clusterEdsName } from "./cluster-eds-name";
import { ResourceCache } from "./resource-cache";
import { xdsResource, type CacheChange } from "./xds-resource";

const raw = (typeUrl: string, name: string, payload: string) => xdsResource(typeUrl, name, Buffer.from(`${name}:${payload}`));

describe("ResourceCache", () => {
  it("announces only the names whose version changed when a full set is replaced", () => {
    const cache = new ResourceCache();
    const seen: CacheChange[][] = [];
    cache.watch("ns/gw", (c) => seen.push([...c]));
    cache.setGroupResources("ns/gw", TYPE_URLS.cluster, [raw(TYPE_URLS.cluster, "a", "1"), raw(TYPE_URLS.cluster, "b", "1")]);
    const change = cache.setGroupResources("ns/gw", TYPE_URLS.cluster, [raw(TYPE_URLS.cluster, "a", "1"), raw(TYPE_URLS.cluster, "c", "1")]);
    expect(change).toEqual({ group: "ns/gw", typeUrl: TYPE_URLS.cluster, upserted: ["c"], removed: ["b"] });
    expect(seen).toHaveLength(2);
    expect([...cache.resources("ns/gw", TYPE_URLS.cluster).keys()]).toEqual(["a", "c"]);
    // The same set again changes nothing and wakes nobody.
    cache.setGroupResources("ns/gw", TYPE_URLS.cluster, [raw(TYPE_URLS.cluster, "a", "1"), raw(TYPE_URLS.cluster, "c", "1")]);
    expect(seen).toHaveLength(2);
  });

  it("notifies a multi-type snapshot in xDS order in one batch, only to watchers of the group", () => {
    const cache = new ResourceCache();
    const batches: string[][] = [];
    let other = 0;
    cache.watch("ns/gw", (c) => batches.push(c.map((x) => x.typeUrl)));
    cache.watch("ns/other", () => other++);
    cache.setGroupSnapshot("ns/gw", {
      [TYPE_URLS.route]: [raw(TYPE_URLS.route, "r", "1")],
      [TYPE_URLS.listener]: [raw(TYPE_URLS.listener, "l", "1")],
      [TYPE_URLS.endpoint]: [raw(TYPE_URLS.endpoint, "c", "1")],
      [TYPE_URLS.cluster]: [raw(TYPE_URLS.cluster, "c", "1")],
    });
    expect(batches).toEqual([[TYPE_URLS.cluster, TYPE_URLS.endpoint, TYPE_URLS.listener, TYPE_URLS.route]]);
    expect(other).toBe(0);
  });

  it("applies incremental upserts and removals, ignoring no-ops", () => {
    const cache = new ResourceCache();
    const seen: CacheChange[] = [];
    cache.watch("g", (c) => seen.push(...c));
    cache.updateResources("g", TYPE_URLS.endpoint, [raw(TYPE_URLS.endpoint, "x", "1"), raw(TYPE_URLS.endpoint, "y", "1")]);
    const change = cache.updateResources("g", TYPE_URLS.endpoint, [raw(TYPE_URLS.endpoint, "x", "1"), raw(TYPE_URLS.endpoint, "y", "2")], ["z"]);
    expect(change.upserted).toEqual(["y"]);
    expect(change.removed).toEqual([]);
    cache.updateResources("g", TYPE_URLS.endpoint, [], ["x"]);
    expect(seen.map((c) => [c.upserted, c.removed])).toEqual([
      [["x", "y"], []],
      [["y"], []],
      [[], ["x"]],
    ]);
    expect(cache.get("g", TYPE_URLS.endpoint, "x")).toBeUndefined();
  });

  it("gives a type version that depends on content, not on insertion order", () => {
    const a = new ResourceCache();
    const b = new ResourceCache();
    a.setGroupResources("g", TYPE_URLS.cluster, [raw(TYPE_URLS.cluster, "a", "1"), raw(TYPE_URLS.cluster, "b", "1")]);
    b.setGroupResources("g", TYPE_URLS.cluster, [raw(TYPE_URLS.cluster, "b", "1"), raw(TYPE_URLS.cluster, "a", "1")]);
    expect(a.typeVersion("g", TYPE_URLS.cluster)).toBe(b.typeVersion("g", TYPE_URLS.cluster));
    const before = a.typeVersion("g", TYPE_URLS.cluster);
    a.updateResources("g", TYPE_URLS.cluster, [raw(TYPE_URLS.cluster, "a", "2")]);
    expect(a.typeVersion("g", TYPE_URLS.cluster)).not.toBe(before);
  });

  it("removes a group with every resource announced as removed", () => {
    const cache = new ResourceCache();
    cache.setGroupResources("g", TYPE_URLS.listener, [raw(TYPE_URLS.listener, "l", "1")]);
    const seen: CacheChange[] = [];
    cache.watch("g", (c) => seen.push(...c));
    cache.removeGroup("g");
    expect(seen).toEqual([{ group: "g", typeUrl: TYPE_URLS.listener, upserted: [], removed: ["l"] }]);
    expect(cache.hasGroup("g")).toBe(false);
  });

  it("refuses a resource filed under another type", () => {
    const cache = new ResourceCache();
    expect(() => cache.setGroupResources("g", TYPE_URLS.cluster, [raw(TYPE_URLS.listener, "l", "1")])).toThrow(/expected/);
  });

  it("finds the ClusterLoadAssignment an EDS cluster waits for", () => {
    const type = messageType(TYPE_URLS.cluster);
    const encode = (obj: object) => type.encode(type.fromObject(obj)).finish();
    const eds = xdsResource(TYPE_URLS.cluster, "c1", encode({ name: "c1", type: "EDS", eds_cluster_config: { service_name: "svc" } }));
    const edsDefault = xdsResource(TYPE_URLS.cluster, "c2", encode({ name: "c2", type: "EDS", eds_cluster_config: {} }));
    const strict = xdsResource(TYPE_URLS.cluster, "c3", encode({ name: "c3", type: "STRICT_DNS" }));
    expect([clusterEdsName(eds), clusterEdsName(edsDefault), clusterEdsName(strict)]).toEqual(["svc", "c2", undefined]);
  });
});
