// How far apart the endpoint fast path's pushes must be. Normally the coalescing window:
// a change after a quiet window goes out at once, changes within it wait for the next
// push. Two things widen it:
// - the push's own cost: the next push waits at least twice as long as the last one took,
//   so encoding never takes more than half of the time;
// - the load of the process: a push also costs what follows it (every subscribed stream
//   writes the new assignment), which the push itself cannot time. When the event loop was
//   busy for most of the time since the last push, the spacing grows (up to a ceiling),
//   and it shrinks back to the window as the load falls. A 10,000-pod Service rolling at
//   1,000 events a second then coalesces into fewer, larger pushes instead of building a
//   backlog in front of the consumer; small Services keep the window.
import { performance } from "node:perf_hooks";

export interface PushPacerOptions {
  /** The coalescing window (ms). */
  windowMs: number;
  /** The most the load may widen the spacing to (ms). */
  maxSpacingMs: number;
  /** Share of the time (0..1) the process was busy since the last call; event-loop utilization unless a test says otherwise. */
  load?: () => number;
  /** Clock in ms (performance.now() unless a test says otherwise). */
  now?: () => number;
}

/** Above this load the spacing grows, below LOW it shrinks. */
const HIGH = 0.8;
const LOW = 0.5;
const STEP = 1.5;
/** The load is read over at least this long (ms): a single push makes any short span look busy. */
const SAMPLE_MS = 100;

export class PushPacer {
  private lastCost = 0;
  private loadSpacing = 0;
  private readonly load: () => number;
  private readonly now: () => number;
  private sampledAt: number;

  constructor(private readonly opts: PushPacerOptions) {
    if (!(opts.windowMs >= 0) || !Number.isFinite(opts.windowMs)) throw new Error(`endpoint coalescing window must be >= 0 ms, got ${opts.windowMs}`);
    if (!(opts.maxSpacingMs >= opts.windowMs)) throw new Error(`the most spacing (${opts.maxSpacingMs} ms) must be at least the window (${opts.windowMs} ms)`);
    this.load = opts.load ?? eventLoopLoad();
    this.now = opts.now ?? (() => performance.now());
    this.sampledAt = this.now();
  }

  /** The least time between the start of one push and the next (ms). */
  spacing(): number {
    return Math.max(this.opts.windowMs, 2 * this.lastCost, this.loadSpacing);
  }

  /** After each push: what it cost (ms), and the load since the previous one. */
  pushed(costMs: number): void {
    this.lastCost = costMs;
    const now = this.now();
    if (now - this.sampledAt < SAMPLE_MS) return;
    this.sampledAt = now;
    const load = this.load();
    if (load > HIGH) {
      const from = this.loadSpacing > 0 ? this.loadSpacing : Math.max(this.opts.windowMs, 1);
      this.loadSpacing = Math.min(this.opts.maxSpacingMs, from * STEP);
    } else if (load < LOW) {
      const next = this.loadSpacing / STEP;
      this.loadSpacing = next <= this.opts.windowMs ? 0 : next;
    }
  }
}

function eventLoopLoad(): () => number {
  let mark = performance.eventLoopUtilization();
  return () => {
    const u = performance.eventLoopUtilization(mark);
    mark = performance.eventLoopUtilization();
    return u.utilization;
  };
}
