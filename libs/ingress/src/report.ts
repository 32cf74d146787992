// What the conversion says about each Ingress: the objects it produced, how each annotation
// fared and every part that could not be carried over. Nothing is dropped without a line here.
import type { ObjectRef } from "@gatehouse/kube";

/** converted: same behaviour; partial: carried over with a difference; reported: not carried over. */
export type Outcome = "converted" | "partial" | "reported";

export interface AnnotationReport {
  annotation: string;
  value: string;
  outcome: Outcome;
  message: string;
}

export interface IngressReport {
  ingress: ObjectRef;
  /** The class the Ingress was resolved to ("" when it has none). */
  ingressClass: string;
  /** False when the Ingress is not of a class we convert: nothing else is filled in. */
  selected: boolean;
  /** Why the Ingress was (not) selected. */
  classReason: string;
  generated: ObjectRef[];
  /** For a canary Ingress: the primary Ingresses whose routes it joined. */
  canaryOf: ObjectRef[];
  annotations: AnnotationReport[];
  /** Parts of the spec that were not carried over (or carried over differently), each a sentence. */
  problems: string[];
  /** What was carried over in a way worth knowing (a route split, a conflict won). */
  notes: string[];
}

const RANK: Record<Outcome, number> = { converted: 0, partial: 1, reported: 2 };

/** The report of one Ingress while it is being converted. */
export class ReportBuilder {
  readonly report: IngressReport;

  constructor(ingress: ObjectRef) {
    this.report = { ingress, ingressClass: "", selected: false, classReason: "", generated: [], canaryOf: [], annotations: [], problems: [], notes: [] };
  }

  problem(message: string): void {
    if (!this.report.problems.includes(message)) this.report.problems.push(message);
  }

  /** Records an annotation's outcome; a second note keeps the worse outcome and both messages. */
  note(message: string): void {
    if (!this.report.notes.includes(message)) this.report.notes.push(message);
  }

  annotation(annotation: string, value: string, outcome: Outcome, message: string): void {
    const existing = this.report.annotations.find((a) => a.annotation === annotation);
    if (!existing) {
      this.report.annotations.push({ annotation, value, outcome, message });
      return;
    }
    if (RANK[outcome] > RANK[existing.outcome]) existing.outcome = outcome;
    if (message && !existing.message.includes(message)) existing.message = existing.message ? `${existing.message}; ${message}` : message;
  }

  has(annotation: string): boolean {
    return this.report.annotations.some((a) => a.annotation === annotation);
  }
}

/** True when the Ingress was converted with something left behind or changed. */
export function isIncomplete(report: IngressReport): boolean {
  return report.selected && (report.problems.length > 0 || report.annotations.some((a) => a.outcome !== "converted"));
}
