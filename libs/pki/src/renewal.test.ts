import { describe, expect, it } from "vitest";
import { caDecision, caRolloverAt, leafDecision, lifetimeErrors, type Lifetime, type LifetimePolicy } from "./renewal";

const HOUR = 3600_000;
const POLICY: LifetimePolicy = { caValidityMs: 720 * HOUR, certValidityMs: 48 * HOUR };

describe("lifetime validation", () => {
  it("accepts the defaults and the certgen example", () => {
    expect(lifetimeErrors(POLICY)).toEqual([]);
    expect(lifetimeErrors({ ...POLICY, renewBeforeMs: 16 * HOUR })).toEqual([]);
  });

  it("refuses a leaf that would outlive its CA", () => {
    expect(lifetimeErrors({ caValidityMs: 48 * HOUR, certValidityMs: 720 * HOUR })).toEqual([
      "cert-validity 720h is not shorter than ca-validity 48h: a leaf never outlives its CA, and the CA rolls over at least one leaf lifetime before it expires",
    ]);
  });

  it("refuses a lifetime shorter than the renew margin, a bad fraction, and both at once", () => {
    expect(lifetimeErrors({ ...POLICY, renewBeforeMs: 48 * HOUR })).toEqual([
      "cert-validity 48h is not longer than renew-before 48h: a certificate would be renewed as soon as it is issued",
    ]);
    expect(lifetimeErrors({ ...POLICY, renewFraction: 1.5 })).toEqual(["renew-fraction 1.5 must be between 0 and 1 (exclusive)"]);
    expect(lifetimeErrors({ ...POLICY, renewFraction: 0.5, renewBeforeMs: HOUR })).toEqual(["give renew-before or renew-fraction, not both"]);
  });
});

describe("renewal under a simulated clock", () => {
  const leaf: Lifetime = { notBefore: 0, notAfter: 48 * HOUR };

  it("renews a leaf at two thirds of its life by default", () => {
    expect(leafDecision(leaf, { issuedByCurrentCa: true, now: 32 * HOUR - 1, policy: POLICY })).toEqual({ renew: false, at: 32 * HOUR });
    expect(leafDecision(leaf, { issuedByCurrentCa: true, now: 32 * HOUR, policy: POLICY })).toEqual({ renew: true, reason: "due" });
  });

  it("renews at the configured fraction or margin", () => {
    expect(leafDecision(leaf, { issuedByCurrentCa: true, now: 0, policy: { ...POLICY, renewFraction: 0.5 } })).toEqual({ renew: false, at: 24 * HOUR });
    expect(leafDecision(leaf, { issuedByCurrentCa: true, now: 0, policy: { ...POLICY, renewBeforeMs: 6 * HOUR } })).toEqual({ renew: false, at: 42 * HOUR });
  });

  it("renews missing, expired, not-yet-valid and old-CA leaves at once", () => {
    const opts = { issuedByCurrentCa: true, policy: POLICY };
    expect(leafDecision(undefined, { ...opts, now: 0 })).toEqual({ renew: true, reason: "missing" });
    expect(leafDecision(leaf, { ...opts, now: 48 * HOUR })).toEqual({ renew: true, reason: "expired" });
    expect(leafDecision({ notBefore: HOUR, notAfter: 2 * HOUR }, { ...opts, now: 0 })).toEqual({ renew: true, reason: "not-yet-valid" });
    expect(leafDecision(leaf, { ...opts, issuedByCurrentCa: false, now: HOUR })).toEqual({ renew: true, reason: "issuer-rotated" });
  });

  it("rolls the CA over at two thirds of its life, and at least one leaf lifetime before it ends", () => {
    const ca: Lifetime = { notBefore: 0, notAfter: 720 * HOUR };
    expect(caRolloverAt(ca, POLICY)).toBe(480 * HOUR);
    expect(caRolloverAt(ca, { caValidityMs: 720 * HOUR, certValidityMs: 600 * HOUR })).toBe(120 * HOUR);
    expect(caDecision(ca, 479 * HOUR, POLICY)).toEqual({ renew: false, at: 480 * HOUR });
    expect(caDecision(ca, 480 * HOUR, POLICY)).toEqual({ renew: true, reason: "due" });
  });

  it("walks a simulated year: every leaf is renewed before it expires and none outlives its CA", () => {
    let now = 0;
    let ca: Lifetime = { notBefore: now, notAfter: now + POLICY.caValidityMs };
    let leaves: Lifetime = { notBefore: now, notAfter: now + POLICY.certValidityMs };
    let leafCa = ca;
    let rollovers = 0;
    let renewals = 0;
    for (; now < 365 * 24 * HOUR; now += 30 * 60_000) {
      if (caDecision(ca, now, POLICY).renew) {
        ca = { notBefore: now, notAfter: now + POLICY.caValidityMs };
        rollovers++;
      }
      expect(now).toBeLessThan(leaves.notAfter);
      if (leafDecision(leaves, { issuedByCurrentCa: leafCa === ca, now, policy: POLICY }).renew) {
        leaves = { notBefore: now, notAfter: Math.min(now + POLICY.certValidityMs, ca.notAfter) };
        leafCa = ca;
        renewals++;
      }
      expect(leaves.notAfter).toBeLessThanOrEqual(leafCa.notAfter);
    }
    expect(rollovers).toBe(Math.floor((365 * 24) / 480));
    expect(renewals).toBeGreaterThan(270);
  });
});
