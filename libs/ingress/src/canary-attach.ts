// A canary Ingress joins the routes of the primary that won its host and path: its backend is
// recorded against the primary's entry, and whatever cannot pair up is reported.
import type { CanaryBackend } from "./canaries";
import type { resolveClaims } from "./claims";
import { claimKey, describeClaim, type PathEntry } from "./entries";
import { refText } from "./ingress-types";
import type { Work } from "./ingress-work";

export function attachCanary(c: Work, winners: ReturnType<typeof resolveClaims> | undefined, canaries: Map<Work, Map<PathEntry, CanaryBackend>>): void {
  // A canary need not repeat its primary's use-regex or rewrite-target: as in ingress-nginx,
  // the host and path as written pair them too.
  const byWritten = new Map([...(winners?.values() ?? [])].map((w) => [w.entry.written, w]));
  for (const e of c.entries) {
    if (e.implicit) continue;
    const winner = winners?.get(claimKey(e)) ?? byWritten.get(e.written);
    if (!winner) {
      c.report.problem(`${e.source}: canary for ${describeClaim(e)} has no primary Ingress with that host and path; not carried over`);
      continue;
    }
    const primary = winner.owner as Work;
    if (primary.ref.namespace !== c.ref.namespace) {
      c.report.problem(`${e.source}: canary for ${describeClaim(e)} is in another namespace than its primary ${refText(primary.ref)}; not carried over`);
      continue;
    }
    const existing = canaries.get(primary)!.get(winner.entry);
    if (existing) {
      c.report.problem(`${e.source}: ${describeClaim(e)} already has the canary ${refText(existing.from)}; not carried over`);
      continue;
    }
    canaries.get(primary)!.set(winner.entry, { backend: e.backend, canary: c.settings.canary!, from: c.ref });
    const into = c.report.report.canaryOf;
    if (!into.some((r) => r.name === primary.ref.name && r.namespace === primary.ref.namespace)) into.push(primary.ref);
  }
}
