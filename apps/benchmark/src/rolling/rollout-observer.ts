// Checks what the benchmark's Delta clients see against what was fed in. Each client's
// view of the rolled Service is reduced to a stage per pod (old: HEALTHY, DRAINING, gone;
// new: absent, HEALTHY); a stage may only move forward (else: reordered), may only show
// what was already fed in (else: an endpoint left while still serving, or a state
// invented), and every client must end at the final state (else: lost). A pod reaching
// a stage delivers every step that leads to it, which gives the propagation latency.
// A KV watch may skip intermediate values of a key, so states are counted, not messages.
import { DRAINING, HEALTHY, scanClusterLoadAssignment, type EndpointView } from "./cla-scan";
import { targetStage, type Rollout } from "./rollout";

interface VersionInfo {
  view: EndpointView;
  healthy: number;
}

export interface ObserverReport {
  visibleSteps: number;
  delivered: number;
  expectedDeliveries: number;
  latenciesMs: number[];
  /** The same deliveries split at the moment their version entered the xds-server's cache. */
  toCacheMs: number[];
  toClientMs: number[];
  receipts: number;
  versions: number;
  reordered: number;
  leftWhileServing: number;
  aheadOfInput: number;
  unexpected: number;
  momentsWithoutRoutable: number;
  minHealthy: number;
  lostAtEnd: number;
  bytesReceived: number;
}

const VERSION_CACHE = 128;

export class RolloutObserver {
  private readonly inputAt: Float64Array;
  private readonly podByIp = new Map<string, number>();
  /** Visible steps of each pod, in order: [step index, target stage]. */
  private readonly visible: Array<Array<[number, number]>>;
  private readonly versions = new Map<string, VersionInfo>();
  private readonly deltas = new Map<string, Array<[number, number]>>();
  private readonly clients: Array<{ stage: Int8Array; version?: string }> = [];
  /** Forward moves seen by clients: pod, stage before, stage after, receipt time. */
  private readonly moves: number[] = [];
  /** The version that made each move (one per 4 entries of `moves`). */
  private readonly moveVersions: string[] = [];
  private readonly r: ObserverReport;

  constructor(
    private readonly rollout: Rollout,
    clientCount: number,
  ) {
    this.inputAt = new Float64Array(rollout.steps.length).fill(NaN);
    for (const p of rollout.pods) this.podByIp.set(p.ip, p.id);
    this.visible = rollout.pods.map(() => []);
    let visibleSteps = 0;
    rollout.steps.forEach((s, i) => {
      const stage = targetStage(rollout.pods[s.pod], s.phase);
      if (stage !== undefined) {
        this.visible[s.pod].push([i, stage]);
        visibleSteps++;
      }
    });
    for (let c = 0; c < clientCount; c++) this.clients.push({ stage: new Int8Array(rollout.pods.length) });
    this.r = {
      visibleSteps,
      delivered: 0,
      expectedDeliveries: visibleSteps * clientCount,
      latenciesMs: [],
      toCacheMs: [],
      toClientMs: [],
      receipts: 0,
      versions: 0,
      reordered: 0,
      leftWhileServing: 0,
      aheadOfInput: 0,
      unexpected: 0,
      momentsWithoutRoutable: 0,
      minHealthy: Infinity,
      lostAtEnd: 0,
      bytesReceived: 0,
    };
  }

  /** When each step was handed to the watcher's publisher (ms, performance.now()). */
  inputs(times: readonly number[]): void {
    times.forEach((t, i) => (this.inputAt[i] = t));
  }

  /** The client's baseline: the assignment it held before the rollout started. */
  baseline(client: number, version: string, bytes: Uint8Array): void {
    const info = this.info(version, bytes);
    const c = this.clients[client];
    c.version = version;
    for (const p of this.rollout.pods) c.stage[p.id] = this.stageOf(p.id, info.view.get(p.ip));
  }

  /** The client received a new version of the rolled Service's assignment at `time`. */
  receive(client: number, version: string, bytes: Uint8Array, time: number): void {
    const r = this.r;
    r.receipts++;
    r.bytesReceived += bytes.length;
    const info = this.info(version, bytes);
    if (info.healthy === 0) r.momentsWithoutRoutable++;
    r.minHealthy = Math.min(r.minHealthy, info.healthy);
    const c = this.clients[client];
    for (const [pod, stage] of this.delta(c.version, version, c.stage)) {
      const before = c.stage[pod];
      if (stage === before) continue;
      if (stage < before) r.reordered++;
      else {
        this.moves.push(pod, before, stage, time);
        this.moveVersions.push(version);
      }
      c.stage[pod] = stage;
    }
    c.version = version;
  }

  /**
   * Call once the inputs are known: matches every forward move to the steps it delivers.
   * `cachedAt` (version → when it entered the server's cache, same clock) splits each
   * latency in two where known.
   */
  report(cachedAt: ReadonlyMap<string, number> = new Map()): ObserverReport {
    const r = this.r;
    r.latenciesMs = [];
    r.toCacheMs = [];
    r.toClientMs = [];
    r.delivered = 0;
    r.aheadOfInput = 0;
    r.leftWhileServing = 0;
    for (let m = 0; m < this.moves.length; m += 4) {
      const [pod, before, stage, time] = [this.moves[m], this.moves[m + 1], this.moves[m + 2], this.moves[m + 3]];
      for (const [step, target] of this.visible[pod]) {
        if (target <= before || target > stage) continue;
        const at = this.inputAt[step];
        if (!(at <= time)) {
          // The client saw a state that was not fed in yet: an endpoint left its view while
          // still serving (target 2), or something was invented.
          r.aheadOfInput++;
          if (target === 2) r.leftWhileServing++;
          continue;
        }
        r.latenciesMs.push(time - at);
        r.delivered++;
        const cached = cachedAt.get(this.moveVersions[m / 4]);
        if (cached !== undefined) {
          r.toCacheMs.push(cached - at);
          r.toClientMs.push(time - cached);
        }
      }
    }
    return { ...r, lostAtEnd: this.lost() };
  }

  /** Pods whose stage on some client differs from the final state. */
  lost(): number {
    let lost = 0;
    for (const c of this.clients) {
      for (const p of this.rollout.pods) if (c.stage[p.id] !== (p.old ? 2 : 1)) lost++;
    }
    return lost;
  }

  private stageOf(pod: number, health: number | undefined): number {
    if (this.rollout.pods[pod].old) return health === HEALTHY ? 0 : health === DRAINING ? 1 : 2;
    if (health === DRAINING) this.r.unexpected++;
    return health === undefined ? 0 : 1;
  }

  private info(version: string, bytes: Uint8Array): VersionInfo {
    let info = this.versions.get(version);
    if (info) return info;
    const view = scanClusterLoadAssignment(bytes);
    let healthy = 0;
    for (const [address, h] of view) {
      if (h === HEALTHY) healthy++;
      if (!this.podByIp.has(address)) this.r.unexpected++;
    }
    info = { view, healthy };
    this.versions.set(version, info);
    this.r.versions++;
    if (this.versions.size > VERSION_CACHE) this.versions.delete(this.versions.keys().next().value!);
    return info;
  }

  /** [pod, stage] for every pod whose stage differs between two versions (memoized per pair). */
  private delta(from: string | undefined, to: string, current: Int8Array): Array<[number, number]> {
    const next = this.versions.get(to)!;
    const prev = from === undefined ? undefined : this.versions.get(from);
    if (!prev) {
      // No cached view of the previous version: compare every pod (rare, O(pods)).
      const out: Array<[number, number]> = [];
      for (const p of this.rollout.pods) {
        const s = this.stageOf(p.id, next.view.get(p.ip));
        if (s !== current[p.id]) out.push([p.id, s]);
      }
      return out;
    }
    const key = `${from}\u0000${to}`;
    let d = this.deltas.get(key);
    if (d) return d;
    d = [];
    for (const [address, h] of next.view) {
      if (prev.view.get(address) !== h) {
        const pod = this.podByIp.get(address);
        if (pod !== undefined) d.push([pod, this.stageOf(pod, h)]);
      }
    }
    for (const address of prev.view.keys()) {
      if (!next.view.has(address)) {
        const pod = this.podByIp.get(address);
        if (pod !== undefined) d.push([pod, this.stageOf(pod, undefined)]);
      }
    }
    this.deltas.set(key, d);
    if (this.deltas.size > VERSION_CACHE * 4) this.deltas.delete(this.deltas.keys().next().value!);
    return d;
  }
}
