// The kube-sync scenario end to end at a tiny size: the watcher process syncs the model
// cluster from the API test server process into a fresh nats-server, the burst reaches the
// bus, and every measurement comes back (what the benchmark prints is not made up).
import { describe, expect, it } from "vitest";
import { runKubeSync } from "./scenario";

describe("kube-sync scenario", () => {
  it("syncs a tiny cluster to the bus, publishes nothing else, and measures memory and a burst", async () => {
    const r = await runKubeSync({ services: 12, slices: 15, routes: 4, gateways: 2, namespaces: 3, seed: 7, burst: 6, settleMs: 100, runner: "tsx", timeoutMs: 120_000 });
    // Published: 12 Services + default/kubernetes, 4 routes, 2 Gateways and their 2 Secrets, our class, 3 + 2
    // Namespaces, 15 slices; besides: another controller's class and an unreferenced Secret per namespace.
    expect(r.objects).toEqual({ inCluster: 46, resources: 13 + 4 + 2 + 2 + 1 + 5, endpoints: 15 });
    expect(r.sync.unexpectedKeys).toBe(0);
    for (const ms of [r.sync.readyMs, r.sync.resourcesStoredMs, r.sync.endpointsStoredMs]) {
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThan(120_000);
    }
    expect(r.sync.watcherCpuMs).toBeGreaterThan(0);
    const { settled, afterFullGc } = r.memory.afterSync;
    expect(settled.rssMiB).toBeGreaterThan(20);
    expect(afterFullGc.heapUsedMiB).toBeGreaterThan(1);
    expect(afterFullGc.heapUsedMiB).toBeLessThanOrEqual(settled.heapTotalMiB);
    expect(r.memory.peakRssMiB).toBeGreaterThanOrEqual(settled.rssMiB);
    expect(r.burst).toMatchObject({ changes: 6 });
    expect(r.burst!.allOnBusMs).toBeGreaterThanOrEqual(r.burst!.p50Ms);
    expect(r.burst!.maxMs).toBeLessThan(120_000);
  }, 300_000);
});
