// When to renew: pure functions of a certificate's lifetime, the policy and an injected
// clock (`now`), so a unit test can walk a simulated year in microseconds. A leaf is
// renewed at a fraction of its life (default two thirds) or a fixed margin before it ends;
// the CA rolls over early enough that a leaf issued just before never has to be cut short.

export interface LifetimePolicy {
  readonly caValidityMs: number;
  readonly certValidityMs: number;
  /** Renew when this much life is left (instead of renewFraction). */
  readonly renewBeforeMs?: number;
  /** Renew when this fraction of the life has passed (default 2/3). */
  readonly renewFraction?: number;
}

export const DEFAULT_RENEW_FRACTION = 2 / 3;

/** What a certificate holder needs to know to renew its own (the lifetime is in the certificate). */
export type RenewPolicy = Pick<LifetimePolicy, "renewBeforeMs" | "renewFraction">;

export interface Lifetime {
  readonly notBefore: number;
  readonly notAfter: number;
}

/** A duration as the flags take it ("48h", "90m", "30s"). */
export const durationText = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);

/** Why a policy cannot work, one clear message per problem; empty when it is sound. */
export function lifetimeErrors(p: LifetimePolicy): string[] {
  const errors: string[] = [];
  if (!(p.caValidityMs > 0)) errors.push("ca-validity must be positive");
  if (!(p.certValidityMs > 0)) errors.push("cert-validity must be positive");
  if (p.renewBeforeMs !== undefined && p.renewFraction !== undefined) errors.push("give renew-before or renew-fraction, not both");
  if (p.renewFraction !== undefined && !(p.renewFraction > 0 && p.renewFraction < 1)) {
    errors.push(`renew-fraction ${p.renewFraction} must be between 0 and 1 (exclusive)`);
  }
  if (errors.length) return errors;
  if (p.certValidityMs >= p.caValidityMs) {
    errors.push(
      `cert-validity ${durationText(p.certValidityMs)} is not shorter than ca-validity ${durationText(p.caValidityMs)}: a leaf never outlives its CA, and the CA rolls over at least one leaf lifetime before it expires`,
    );
  }
  if (p.renewBeforeMs !== undefined) {
    if (!(p.renewBeforeMs > 0)) errors.push("renew-before must be positive");
    else if (p.renewBeforeMs >= p.certValidityMs) {
      errors.push(
        `cert-validity ${durationText(p.certValidityMs)} is not longer than renew-before ${durationText(p.renewBeforeMs)}: a certificate would be renewed as soon as it is issued`,
      );
    }
  }
  return errors;
}

/** The margin before notAfter at which a certificate of this lifetime is renewed. */
export function renewMarginMs(lifetime: Lifetime, p: RenewPolicy): number {
  const life = lifetime.notAfter - lifetime.notBefore;
  if (p.renewBeforeMs !== undefined) return Math.min(p.renewBeforeMs, life);
  return life * (1 - (p.renewFraction ?? DEFAULT_RENEW_FRACTION));
}

/** When a leaf is due for renewal. */
export function leafRenewAt(leaf: Lifetime, p: RenewPolicy): number {
  return leaf.notAfter - renewMarginMs(leaf, p);
}

/** When the CA rolls over: at its own renewal point, and at least one leaf lifetime before it ends. */
export function caRolloverAt(ca: Lifetime, p: LifetimePolicy): number {
  return ca.notAfter - Math.max(renewMarginMs(ca, { renewFraction: p.renewFraction }), p.certValidityMs);
}

export type RenewReason = "missing" | "expired" | "not-yet-valid" | "due" | "issuer-rotated";

export type RenewDecision = { readonly renew: true; readonly reason: RenewReason } | { readonly renew: false; readonly at: number };

/** Whether a leaf must be renewed now, and why; otherwise when it will be. */
export function leafDecision(leaf: Lifetime | undefined, opts: { issuedByCurrentCa: boolean; now: number; policy: RenewPolicy }): RenewDecision {
  if (!leaf) return { renew: true, reason: "missing" };
  if (opts.now >= leaf.notAfter) return { renew: true, reason: "expired" };
  if (opts.now < leaf.notBefore) return { renew: true, reason: "not-yet-valid" };
  if (!opts.issuedByCurrentCa) return { renew: true, reason: "issuer-rotated" };
  const at = leafRenewAt(leaf, opts.policy);
  return opts.now >= at ? { renew: true, reason: "due" } : { renew: false, at };
}

/** Whether the CA must roll over now; otherwise when. */
export function caDecision(ca: Lifetime | undefined, now: number, policy: LifetimePolicy): RenewDecision {
  if (!ca) return { renew: true, reason: "missing" };
  if (now >= ca.notAfter) return { renew: true, reason: "expired" };
  if (now < ca.notBefore) return { renew: true, reason: "not-yet-valid" };
  const at = caRolloverAt(ca, policy);
  return now >= at ? { renew: true, reason: "due" } : { renew: false, at };
}
