// The steps of a CA rollover that no proxy notices: the next CA is first added to the trust
// bundle, then nothing is signed with it until the bundle has had time to reach every peer
// (the kubelet refreshes a mounted Secret only every minute or so), and only then does it
// become the signing CA. Pure functions over an injected clock; the caller persists the
// moment the bundle went out, so a restart in the middle of the wait resumes it.
import type { Lifetime } from "./renewal";

/** The next CA, trusted but not yet signing. */
export interface NextCaState {
  /** When the trust bundle holding it reached the bus and every Envoy Secret (ms); absent until then. */
  readonly trustedSince?: number;
}

export type RolloverStep =
  /** Put the next CA in the trust bundle everywhere, then record when that was done. */
  | { readonly step: "publish-bundle" }
  /** The bundle is out; peers may not have it yet: sign with the current CA until `until`. */
  | { readonly step: "wait"; readonly until: number }
  /** Make the next CA the signing CA (the current one stays in the bundle as the previous). */
  | { readonly step: "promote"; readonly reason: "propagated" | "current-expired" };

/**
 * What to do about a next CA at `now`. A current CA that has expired signs nothing
 * trustworthy, so waiting would only prolong the outage: the next one takes over at once.
 */
export function rolloverStep(next: NextCaState, current: Lifetime, now: number, propagationDelayMs: number): RolloverStep {
  if (now >= current.notAfter) return { step: "promote", reason: "current-expired" };
  if (next.trustedSince === undefined) return { step: "publish-bundle" };
  const until = next.trustedSince + propagationDelayMs;
  return now >= until ? { step: "promote", reason: "propagated" } : { step: "wait", until };
}

/** Why a propagation delay cannot work with these lifetimes; empty when it can. */
export function propagationDelayErrors(delayMs: number, certValidityMs: number): string[] {
  if (!(delayMs >= 0)) return ["ca-propagation-delay must not be negative"];
  // The CA rolls over at least one leaf lifetime before it ends; the wait must fit in that.
  if (delayMs >= certValidityMs) return [`ca-propagation-delay must be shorter than cert-validity, or the current CA could expire before the next one signs`];
  return [];
}
