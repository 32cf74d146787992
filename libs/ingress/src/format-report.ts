// The report as text for a terminal: one block per Ingress, what it became, every annotation
// that was not carried over exactly and every problem.
import { refText } from "./ingress-types";
import type { IngressReport } from "./report";

export function formatReports(reports: IngressReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    const name = `Ingress ${r.ingress.namespace}/${r.ingress.name}`;
    if (!r.selected) {
      lines.push(`${name}: skipped: ${r.classReason}`);
      continue;
    }
    const incomplete = r.problems.length > 0 || r.annotations.some((a) => a.outcome !== "converted");
    lines.push(`${name}: ${incomplete ? "converted with problems" : "converted"} -> ${[...r.generated.map(refText), ...r.canaryOf.map((c) => `canary of ${refText(c)}`)].join(", ") || "nothing"}`);
    for (const a of r.annotations) {
      lines.push(`  ${a.outcome.padEnd(9)} ${a.annotation}=${JSON.stringify(a.value)}${a.message ? `: ${a.message}` : ""}`);
    }
    for (const p of r.problems) lines.push(`  problem   ${p}`);
    for (const n of r.notes) lines.push(`  note      ${n}`);
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}
