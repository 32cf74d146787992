// A Deployment rolling update as Kubernetes emits it, pod by pod: maxSurge new pods are
// created (not ready), each becomes ready, and for every pod that becomes available an old
// one starts terminating while still serving, stops serving, and is removed. A small
// discrete-event simulation in virtual time gives the order; the benchmark then replays
// the steps at a fixed rate. Deterministic for a seed.

import { seededRandom } from "@gatehouse/testing";

export type PodPhase = "created" | "ready" | "terminating" | "not-serving" | "removed";

export interface Pod {
  id: number;
  name: string;
  ip: string;
  zone: string;
  /** True for pods of the old ReplicaSet (present, ready, before the rollout). */
  old: boolean;
}

export interface RolloutStep {
  pod: number;
  phase: PodPhase;
}

export interface Rollout {
  pods: Pod[];
  steps: RolloutStep[];
  replicas: number;
  surge: number;
}

export interface RolloutOptions {
  /** maxSurge as a fraction of replicas (rounded up, as Kubernetes does). */
  maxSurge?: number;
  seed?: number;
}

const ZONES = ["zone-a", "zone-b", "zone-c"];

/** maxSurge 25% and maxUnavailable 0 unless told otherwise. */
export function planRollout(replicas: number, opts: RolloutOptions = {}): Rollout {
  const random = seededRandom(opts.seed ?? 1);
  const surge = Math.max(1, Math.ceil(replicas * (opts.maxSurge ?? 0.25)));
  const pods: Pod[] = [];
  for (let i = 0; i < replicas; i++) pods.push(pod(i, true));
  const steps: RolloutStep[] = [];
  const queue = new EventQueue();
  const oldActive: number[] = pods.map((p) => p.id).reverse(); // old, ready, not terminating
  let created = 0;
  let readyNew = 0;

  const scaleUp = (t: number) => {
    // Pods that count against maxSurge: old ones not terminating plus every new one.
    while (created < replicas && oldActive.length + created < replicas + surge) {
      const p = pod(replicas + created, false);
      pods.push(p);
      created++;
      queue.push(t, { pod: p.id, phase: "created" });
      queue.push(t + 1 + random() * 2, { pod: p.id, phase: "ready" });
    }
  };

  scaleUp(0);
  for (let ev = queue.pop(); ev; ev = queue.pop()) {
    const { t, step } = ev;
    steps.push(step);
    if (step.phase === "ready") {
      readyNew++;
      // maxUnavailable 0: an old pod may go only when the available count exceeds replicas.
      while (oldActive.length > 0 && oldActive.length + readyNew > replicas) {
        const victim = oldActive.pop()!;
        queue.push(t, { pod: victim, phase: "terminating" });
        const stop = t + 0.2 + random() * 1.5;
        queue.push(stop, { pod: victim, phase: "not-serving" });
        queue.push(stop + 0.5 + random(), { pod: victim, phase: "removed" });
      }
      scaleUp(t);
    }
  }
  return { pods, steps, replicas, surge };

  function pod(id: number, old: boolean): Pod {
    const n = old ? id : id - replicas;
    // Up to 65,536 pods per ReplicaSet: 10.1.0.0/16 for the old one, 10.2.0.0/16 for the new.
    const ip = `10.${old ? 1 : 2}.${(n >> 8) & 255}.${n & 255}`;
    const suffix = n.toString(36).padStart(5, "0");
    return { id, name: `web-${old ? "old" : "new"}-${suffix}`, ip, zone: ZONES[n % ZONES.length], old };
  }
}

/** Stage of a pod in a client's view: old pods go 0 HEALTHY → 1 DRAINING → 2 gone, new ones 0 absent → 1 HEALTHY. */
export function targetStage(pod: Pod, phase: PodPhase): number | undefined {
  if (pod.old) return phase === "terminating" ? 1 : phase === "not-serving" ? 2 : undefined;
  return phase === "ready" ? 1 : undefined;
}

/** Min-heap on (time, insertion order): simultaneous events keep their causal order. */
class EventQueue {
  private heap: { t: number; seq: number; step: RolloutStep }[] = [];
  private seq = 0;

  push(t: number, step: RolloutStep): void {
    const h = this.heap;
    h.push({ t, seq: this.seq++, step });
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  pop(): { t: number; step: RolloutStep } | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function less(a: { t: number; seq: number }, b: { t: number; seq: number }): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}
