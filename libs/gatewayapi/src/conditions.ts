// Conditions as the controller writes them: one per type, later writes replace earlier ones,
// order of first insertion kept so output is stable. No clock: lastTransitionTime is left to
// the status writer, observedGeneration is the object's generation.
import type { Condition } from "./kube-types";

export type ConditionStatus = "True" | "False";

export class ConditionSet {
  private readonly byType = new Map<string, Condition>();

  constructor(private readonly generation: number | undefined) {}

  set(type: string, status: ConditionStatus, reason: string, message: string): void {
    const cond: Condition = { type, status, reason, message };
    if (this.generation !== undefined) cond.observedGeneration = this.generation;
    this.byType.set(type, cond);
  }

  /** Sets the condition only when no condition of that type exists yet. */
  setDefault(type: string, status: ConditionStatus, reason: string, message: string): void {
    if (!this.byType.has(type)) this.set(type, status, reason, message);
  }

  get(type: string): Condition | undefined {
    return this.byType.get(type);
  }

  has(type: string, status?: ConditionStatus): boolean {
    const c = this.byType.get(type);
    return c !== undefined && (status === undefined || c.status === status);
  }

  delete(type: string): void {
    this.byType.delete(type);
  }

  get size(): number {
    return this.byType.size;
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  toArray(): Condition[] {
    return [...this.byType.values()];
  }
}

/** A problem found while translating a route rule, destined for one condition type. */
export interface RouteProblem {
  type: "Accepted" | "ResolvedRefs" | "BackendsAvailable";
  reason: string;
  message: string;
}

/**
 * Problems grouped by condition type: the first reason of a type wins, messages are joined,
 * so a route with three broken backends gets one ResolvedRefs=False naming all three.
 */
export class ProblemCollector {
  private readonly byType = new Map<RouteProblem["type"], { reason: string; messages: string[] }>();

  add(p: RouteProblem): void {
    const entry = this.byType.get(p.type);
    if (entry) {
      if (!entry.messages.includes(p.message)) entry.messages.push(p.message);
    } else {
      this.byType.set(p.type, { reason: p.reason, messages: [p.message] });
    }
  }

  get empty(): boolean {
    return this.byType.size === 0;
  }

  all(): RouteProblem[] {
    return [...this.byType.entries()].map(([type, e]) => ({ type, reason: e.reason, message: e.messages.join("; ") }));
  }
}
