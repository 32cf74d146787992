import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KubeApiTestServer, waitFor } from "@gatehouse/testing";
import { KubeClient } from "./kube-client";
import { LeaderElector, microTime, type Lease, type LeaderElectionOptions } from "./leader-election";

const TIMING = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };

let server: KubeApiTestServer;
let client: KubeClient;
const electors: LeaderElector[] = [];
let leaseN = 0;

beforeAll(async () => {
  server = await KubeApiTestServer.start();
  client = new KubeClient(server.kubeConfig());
});
afterEach(async () => {
  await Promise.all(electors.splice(0).map((e) => e.stop()));
});
afterAll(() => server.stop());

interface Candidate {
  elector: LeaderElector;
  started: number[];
  stopped: number[];
}

function candidate(name: string, identity: string, extra: Partial<LeaderElectionOptions> = {}): Candidate {
  const c: Candidate = { elector: undefined!, started: [], stopped: [] };
  c.elector = new LeaderElector({
    client,
    namespace: "gatehouse-system",
    name,
    identity,
    ...TIMING,
    onStartedLeading: () => c.started.push(Date.now()),
    onStoppedLeading: () => c.stopped.push(Date.now()),
    ...extra,
  });
  electors.push(c.elector);
  c.elector.start();
  return c;
}

/** Samples both candidates every few ms until stopped; records whether both ever led at once. */
function neverBoth(a: Candidate, b: Candidate): { stop: () => boolean } {
  let both = false;
  const t = setInterval(() => {
    if (a.elector.isLeader && b.elector.isLeader) both = true;
  }, 2);
  return { stop: () => (clearInterval(t), both) };
}

const lease = (name: string) => server.get("coordination.k8s.io/v1", "Lease", "gatehouse-system", name) as unknown as Lease;

describe("LeaderElector", () => {
  it("creates the Lease with a MicroTime renewTime and renews it every retry period", async () => {
    const name = `lease-${++leaseN}`;
    const a = candidate(name, "a");
    await waitFor("leadership", () => a.elector.isLeader, 10_000, 5);
    const first = lease(name).spec!;
    expect(first).toMatchObject({ holderIdentity: "a", leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(first.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await waitFor("a renewal", () => lease(name).spec!.renewTime !== first.renewTime, 10_000, 5);
    expect(lease(name).spec!.acquireTime).toBe(first.acquireTime);
    expect(microTime(new Date("2026-01-02T03:04:05.678Z"))).toBe("2026-01-02T03:04:05.678000Z");
  });

  it("never lets two candidates lead at once, and hands over within the lease duration when the leader dies", async () => {
    const name = `lease-${++leaseN}`;
    const a = candidate(name, "a");
    await waitFor("a leads", () => a.elector.isLeader, 10_000, 5);
    const b = candidate(name, "b");
    const sampler = neverBoth(a, b);
    // b keeps seeing a renew, so it waits.
    await new Promise((r) => setTimeout(r, TIMING.leaseDurationMs + 500));
    expect(b.elector.isLeader).toBe(false);
    expect(b.elector.leader).toBe("a");
    const killedAt = Date.now();
    await a.elector.stop({ release: false });
    await waitFor("b takes over", () => b.elector.isLeader, 10_000, 5);
    const handover = b.started[0] - killedAt;
    expect(sampler.stop()).toBe(false);
    expect(handover).toBeLessThanOrEqual(TIMING.leaseDurationMs + TIMING.retryPeriodMs * 1.2 + 300);
    expect(lease(name).spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
  });

  it("hands over at once when the leader stops cleanly (it releases the Lease)", async () => {
    const name = `lease-${++leaseN}`;
    const a = candidate(name, "a");
    await waitFor("a leads", () => a.elector.isLeader, 10_000, 5);
    const b = candidate(name, "b");
    const sampler = neverBoth(a, b);
    await new Promise((r) => setTimeout(r, 300));
    const stoppedAt = Date.now();
    await a.elector.stop();
    await waitFor("b takes over", () => b.elector.isLeader, 10_000, 5);
    expect(sampler.stop()).toBe(false);
    expect(b.started[0] - stoppedAt).toBeLessThan(TIMING.leaseDurationMs);
  });

  it("steps down within the renew deadline when it cannot renew", async () => {
    const name = `lease-${++leaseN}`;
    const a = candidate(name, "a");
    await waitFor("a leads", () => a.elector.isLeader, 10_000, 5);
    const lastGood = Date.now();
    server.failNext(1000, 503, { path: `/apis/coordination.k8s.io/v1/namespaces/gatehouse-system/leases/${name}` });
    await waitFor("a steps down", () => a.stopped.length === 1, 5000, 5);
    server.clearFailures();
    expect(a.elector.isLeader).toBe(false);
    expect(a.stopped[0] - lastGood).toBeLessThanOrEqual(TIMING.renewDeadlineMs + 100);
  });

  it("steps down at its next renewal when another holder took the Lease", async () => {
    const name = `lease-${++leaseN}`;
    const a = candidate(name, "a");
    await waitFor("a leads", () => a.elector.isLeader, 10_000, 5);
    const l = lease(name);
    server.update({ ...l, spec: { ...l.spec, holderIdentity: "intruder", renewTime: microTime() } });
    const at = Date.now();
    await waitFor("a steps down", () => a.stopped.length === 1, 10_000, 5);
    expect(a.stopped[0] - at).toBeLessThanOrEqual(TIMING.retryPeriodMs + 300);
    expect(a.elector.leader).toBe("intruder");
  });
});
