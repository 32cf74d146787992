// The endpoint fast path: an endpoint change sends only the affected ClusterLoadAssignments,
// only to the proxies subscribed to them, and the bytes on the wire follow the change.
import type { XdsTestClient } from "@gatehouse/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { cla, cluster, T, useTestServer } from "./fixtures";

const server = useTestServer("delta");
const N = 200;
const G = "eds/big";

const endpointsOf = (i: number, gen: number): Array<[string, number]> =>
  Array.from({ length: 20 }, (_, k) => [`10.${i % 250}.${gen % 250}.${k + 1}`, 8080] as [string, number]);

beforeAll(() => {
  const names = Array.from({ length: N }, (_, i) => `svc-${i}`);
  server.cache.setGroupSnapshot(G, {
    [T.cluster]: names.map((n) => cluster(n)),
    [T.endpoint]: names.map((n, i) => cla(n, endpointsOf(i, 0))),
  });
  server.cache.setGroupSnapshot("eds/other", { [T.endpoint]: [cla("svc-0", endpointsOf(0, 0))] });
});
function connect(id: string, group: string, names: string[]): XdsTestClient {
  const c = server.connect(group, id);
  c.subscribe(T.endpoint, names);
  return c;
}

describe("incremental EDS", () => {
  it("sends only the changed ClusterLoadAssignments, only to subscribers, with bytes that follow the change", async () => {
    const all = Array.from({ length: N }, (_, i) => `svc-${i}`);
    const full = connect("eds-all", G, all);
    const half = connect("eds-half", G, all.slice(N / 2));
    const other = connect("eds-other", "eds/other", ["svc-0"]);
    await full.waitFor((x) => x.of(T.endpoint).size === N);
    await half.waitFor((x) => x.of(T.endpoint).size === N / 2);
    await other.waitFor((x) => x.of(T.endpoint).size === 1);
    const initialBytes = full.stats.bytesReceived;

    const change = async (indexes: number[], gen: number) => {
      const before = { full: full.stats.bytesReceived, half: half.stats.bytesReceived, responses: full.responses.length };
      const updated = indexes.map((i) => cla(`svc-${i}`, endpointsOf(i, gen)));
      server.cache.updateResources(G, T.endpoint, updated);
      await full.waitFor((x) => updated.every((u) => x.of(T.endpoint).get(u.name)!.version === u.version), 5_000, "update");
      return { full: full.stats.bytesReceived - before.full, half: half.stats.bytesReceived - before.half, responses: full.responses.slice(before.responses) };
    };

    // One CLA in the half nobody but "full" watches.
    const one = await change([3], 1);
    expect(one.responses.flatMap((r) => r.resources.map((x) => x.name))).toEqual(["svc-3"]);
    // Ten CLAs, five of them watched by "half".
    const halfBefore = half.stats.bytesReceived;
    const ten = await change([10, 20, 30, 40, 50, 110, 120, 130, 140, 150], 2);
    expect(ten.responses.flatMap((r) => r.resources.map((x) => x.name)).sort()).toHaveLength(10);
    await half.waitFor((x) => [110, 120, 130, 140, 150].every((i) => x.of(T.endpoint).get(`svc-${i}`)!.version === full.of(T.endpoint).get(`svc-${i}`)!.version));

    // "half" got nothing for svc-3, and the other Gateway's proxy got nothing at all.
    expect(half.responses.some((r) => r.resources.some((x) => x.name === "svc-3"))).toBe(false);
    expect(half.responses.flatMap((r) => r.resources.map((x) => x.name)).filter((n) => Number(n.slice(4)) < N / 2)).toEqual([]);
    expect(other.responses).toHaveLength(1);

    // Bytes grow with the change, not with the configuration.
    expect(one.full).toBeLessThan(initialBytes / 50);
    expect(ten.full / one.full).toBeGreaterThan(5);
    expect(ten.full / one.full).toBeLessThan(15);
    const halfBytes = half.stats.bytesReceived - halfBefore;
    expect(halfBytes / one.full).toBeGreaterThan(3);
    expect(halfBytes / one.full).toBeLessThan(8);
  });
});
