// Who routes a host and path when several Ingresses claim it: the oldest Ingress
// (creationTimestamp, then namespace/name) wins, every loser is reported, and traffic is
// never split silently. Explicit paths win over defaultBackend's implicit "/" whatever
// their age; an implicit claim that loses is not a conflict.
import { claimKey, describeClaim, type PathEntry } from "./entries";
import type { ObjectRef } from "@gatehouse/kube";
import { refText } from "./ingress-types";
import type { ReportBuilder } from "./report";

export interface ClaimingIngress {
  ref: ObjectRef;
  report: ReportBuilder;
  entries: PathEntry[];
}

/** Keeps in each Ingress's `entries` only what it wins; returns the winner of every claim key. */
export function resolveClaims(ingresses: ClaimingIngress[]): Map<string, { owner: ClaimingIngress; entry: PathEntry }> {
  const winners = new Map<string, { owner: ClaimingIngress; entry: PathEntry }>();
  const kept = new Map<ClaimingIngress, Set<PathEntry>>(ingresses.map((i) => [i, new Set()]));
  for (const implicit of [false, true]) {
    for (const ing of ingresses) {
      for (const entry of ing.entries) {
        if (entry.implicit !== implicit) continue;
        const key = claimKey(entry);
        const winner = winners.get(key);
        if (!winner) {
          winners.set(key, { owner: ing, entry });
          kept.get(ing)!.add(entry);
          continue;
        }
        if (implicit) continue;
        if (winner.owner === ing) {
          ing.report.problem(`${entry.source}: ${describeClaim(entry)} repeats ${winner.entry.source}; the first one is used`);
          continue;
        }
        ing.report.problem(`${entry.source}: ${describeClaim(entry)} is also claimed by the older ${refText(winner.owner.ref)}, which keeps it; not carried over`);
        winner.owner.report.note(`${winner.entry.source}: ${describeClaim(winner.entry)} is also claimed by the newer ${refText(ing.ref)}; this Ingress keeps it`);
      }
    }
  }
  for (const ing of ingresses) ing.entries = ing.entries.filter((e) => kept.get(ing)!.has(e));
  return winners;
}
