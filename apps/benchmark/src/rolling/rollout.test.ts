import { describe, expect, it } from "vitest";
import { buildClusterLoadAssignment, encodeResource, TYPE_URLS } from "@gatehouse/xds";
import { DRAINING, HEALTHY, scanClusterLoadAssignment } from "./cla-scan";
import { planRollout, type PodPhase } from "./rollout";
import { RolloutObserver } from "./rollout-observer";
import { SliceModel } from "./slice-model";

describe("planRollout (maxSurge 25%, maxUnavailable 0)", () => {
  for (const replicas of [4, 100, 1000]) {
    it(`keeps ${replicas} pods serving and at most replicas + surge running, in Kubernetes' order`, () => {
      const r = planRollout(replicas);
      expect(r.surge).toBe(Math.ceil(replicas / 4));
      const phase = new Map<number, PodPhase>();
      for (const p of r.pods) if (p.old) phase.set(p.id, "ready");
      const order: Record<PodPhase, PodPhase | undefined> = { created: undefined, ready: "created", terminating: "ready", "not-serving": "terminating", removed: "not-serving" };
      for (const step of r.steps) {
        const before = phase.get(step.pod);
        expect(before, `pod ${step.pod} ${step.phase}`).toBe(order[step.phase]);
        phase.set(step.pod, step.phase);
        const ready = [...phase.values()].filter((p) => p === "ready").length;
        const running = [...phase.values()].filter((p) => p === "ready" || p === "created").length;
        expect(ready).toBeGreaterThanOrEqual(replicas);
        expect(running).toBeLessThanOrEqual(replicas + r.surge);
      }
      expect(r.steps).toHaveLength(replicas * 5);
      for (const p of r.pods) expect(phase.get(p.id)).toBe(p.old ? "removed" : "ready");
    });
  }
});

describe("SliceModel", () => {
  it("keeps at most 100 endpoints per slice, changes one slice per step", () => {
    const r = planRollout(250);
    const model = new SliceModel("bench", "web", r.pods);
    for (const p of r.pods) if (p.old) model.apply(p.id, "ready");
    expect(model.all().map((s) => s.slice!.endpoints!.length)).toEqual([100, 100, 50]);
    for (const step of r.steps) {
      const change = model.apply(step.pod, step.phase);
      if (change.slice) expect(change.slice.endpoints!.length).toBeLessThanOrEqual(100);
    }
    const final = model.all();
    expect(final.reduce((n, s) => n + s.slice!.endpoints!.length, 0)).toBe(250);
    expect(final.every((s) => s.slice!.endpoints!.every((e) => e.conditions!.ready))).toBe(true);
  });
});

describe("scanClusterLoadAssignment", () => {
  it("reads address and health of every endpoint of an encoded assignment", () => {
    const set = {
      clusterName: "c",
      localities: [
        { zone: "a", endpoints: [{ address: "10.0.0.1", port: 80, health: "HEALTHY" as const, hostname: "p1" }] },
        { zone: "b", endpoints: [{ address: "fd00::1", port: 80, health: "DRAINING" as const }] },
      ],
    };
    const bytes = encodeResource(TYPE_URLS.endpoint, buildClusterLoadAssignment(set).json).bytes;
    expect([...scanClusterLoadAssignment(bytes)]).toEqual([
      ["10.0.0.1", HEALTHY],
      ["fd00::1", DRAINING],
    ]);
  });
});

describe("RolloutObserver", () => {
  const r = planRollout(4);
  const encode = (entries: Array<[string, "HEALTHY" | "DRAINING"]>) =>
    encodeResource(
      TYPE_URLS.endpoint,
      buildClusterLoadAssignment({ clusterName: "c", localities: [{ zone: "", endpoints: entries.map(([address, health]) => ({ address, port: 8080, health })) }] }).json,
    ).bytes;
  const initial = r.pods.filter((p) => p.old).map((p) => [p.ip, "HEALTHY"] as [string, "HEALTHY"]);
  const final = r.pods.filter((p) => !p.old).map((p) => [p.ip, "HEALTHY"] as [string, "HEALTHY"]);

  it("delivers every visible step when a client jumps straight to the final state", () => {
    const o = new RolloutObserver(r, 1);
    o.baseline(0, "v0", encode(initial));
    o.receive(0, "v1", encode(final), 1_000);
    o.inputs(r.steps.map((_, i) => i));
    const rep = o.report();
    expect(rep.delivered).toBe(rep.expectedDeliveries);
    expect(rep.lostAtEnd).toBe(0);
    expect(rep.leftWhileServing).toBe(0);
    expect(rep.reordered).toBe(0);
  });

  it("flags an endpoint that leaves the view before it stopped serving, and a move backwards", () => {
    const o = new RolloutObserver(r, 1);
    o.baseline(0, "v0", encode(initial));
    o.receive(0, "v1", encode([...initial.slice(1), ...final]), 10);
    o.receive(0, "v2", encode([...initial, ...final]), 20);
    o.inputs(r.steps.map(() => 100)); // everything fed in after the client saw it
    const rep = o.report();
    expect(rep.leftWhileServing).toBeGreaterThan(0);
    expect(rep.reordered).toBe(1);
    expect(rep.lostAtEnd).toBeGreaterThan(0);
  });

  it("counts a view without any HEALTHY endpoint", () => {
    const o = new RolloutObserver(r, 1);
    o.baseline(0, "v0", encode(initial));
    o.receive(0, "v1", encode(initial.map(([ip]) => [ip, "DRAINING"])), 1);
    expect(o.report().momentsWithoutRoutable).toBe(1);
  });
});
