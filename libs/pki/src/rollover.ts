// The steps of a CA rollover that no proxy notices: the next CA is first added to the trust
// bundle, then nothing is signed with it until the bundle has had time to reach every peer
// (the kubelet refreshes a mounted Secret only every minute or so), and only then does it
// become the signing CA. Pure functions over an injected clock; the caller persists the
// moment the bundle went out, so a restart in the middle of the wait resumes it.
import { caRolloverAt, DEFAULT_RENEW_FRACTION, durationText, renewMarginMs, type Lifetime, type LifetimePolicy } from "./renewal";

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
export function propagationDelayErrors(delayMs: number, policy: LifetimePolicy): string[] {
  if (!(delayMs >= 0)) return ["ca-propagation-delay must not be negative"];
  // The CA rolls over at least one leaf lifetime before it ends; the wait must fit in that.
  if (delayMs >= policy.certValidityMs) return [`ca-propagation-delay must be shorter than cert-validity, or the current CA could expire before the next one signs`];
  // A CA signs from the end of its own propagation delay until its successor's: for
  // caSigningWindowMs. Rollovers closer together than a leaf's renew margin plus the delay
  // cannot keep up: every rollover reissues every leaf and waits the delay twice (before the
  // next CA signs, before the old one may leave the bundle), so the next CA would be due
  // before the replacements from the last one had settled, and leaves would be reissued by
  // rollovers faster than by their own schedule.
  const margin = renewMarginMs({ notBefore: 0, notAfter: policy.certValidityMs }, policy);
  const window = caSigningWindowMs(policy);
  if (window <= margin + delayMs) {
    const renew = policy.renewBeforeMs !== undefined ? `renew-before ${durationText(policy.renewBeforeMs)}` : `renew-fraction ${+(policy.renewFraction ?? DEFAULT_RENEW_FRACTION).toFixed(4)}`;
    return [
      `ca-validity ${durationText(policy.caValidityMs)} is too short for cert-validity ${durationText(policy.certValidityMs)}, ${renew} and ca-propagation-delay ${durationText(delayMs)}: ` +
        `a CA would sign for ${durationText(window)} before the next rollover, not more than a leaf's renew margin (${durationText(margin)}) plus the propagation delay; ` +
        `make ca-validity longer than ${durationText(minCaValidityMs(policy, delayMs))} or cert-validity shorter`,
    ];
  }
  return [];
}

/** How long a CA signs: from when it takes over until its successor does (both after the same delay). */
export function caSigningWindowMs(policy: LifetimePolicy): number {
  return caRolloverAt({ notBefore: 0, notAfter: policy.caValidityMs }, policy);
}

/** The shortest ca-validity whose signing window exceeds a leaf's renew margin plus the delay. */
function minCaValidityMs(policy: LifetimePolicy, delayMs: number): number {
  const margin = renewMarginMs({ notBefore: 0, notAfter: policy.certValidityMs }, policy);
  const needed = margin + delayMs;
  // window = V - max(V * (1 - f), C) = min(V * f, V - C): both terms must exceed `needed`.
  const f = policy.renewFraction ?? DEFAULT_RENEW_FRACTION;
  return Math.max(needed / f, policy.certValidityMs + needed);
}
