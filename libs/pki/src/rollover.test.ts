import { describe, expect, it } from "vitest";
import { caDecision, caRolloverAt, leafDecision, type Lifetime, type LifetimePolicy } from "./renewal";
import { caSigningWindowMs, propagationDelayErrors, rolloverStep, type NextCaState } from "./rollover";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DELAY = 2 * MINUTE;
const current: Lifetime = { notBefore: 0, notAfter: 720 * HOUR };
const POLICY: LifetimePolicy = { caValidityMs: 720 * HOUR, certValidityMs: 48 * HOUR };

describe("CA rollover under a simulated clock", () => {
  it("publishes the bundle first, waits the propagation delay from then, then promotes", () => {
    const t = 480 * HOUR;
    expect(rolloverStep({}, current, t, DELAY)).toEqual({ step: "publish-bundle" });
    expect(rolloverStep({ trustedSince: t }, current, t, DELAY)).toEqual({ step: "wait", until: t + DELAY });
    expect(rolloverStep({ trustedSince: t }, current, t + DELAY - 1, DELAY)).toEqual({ step: "wait", until: t + DELAY });
    expect(rolloverStep({ trustedSince: t }, current, t + DELAY, DELAY)).toEqual({ step: "promote", reason: "propagated" });
  });

  it("counts the delay from when the bundle went out, not from when the CA was made", () => {
    // The bundle could not be published for an hour (NATS down): the full delay still follows.
    const published = 481 * HOUR;
    expect(rolloverStep({ trustedSince: published }, current, published + MINUTE, DELAY)).toEqual({ step: "wait", until: published + DELAY });
  });

  it("promotes at once with no delay, and when the current CA has expired", () => {
    expect(rolloverStep({ trustedSince: 10 }, current, 10, 0)).toEqual({ step: "promote", reason: "propagated" });
    expect(rolloverStep({}, current, 720 * HOUR, DELAY)).toEqual({ step: "promote", reason: "current-expired" });
  });

  it("resumes a wait after a restart from the persisted moment, and a clock stepped back only waits longer", () => {
    const persisted: NextCaState = JSON.parse(JSON.stringify({ trustedSince: 500 * HOUR }));
    expect(rolloverStep(persisted, current, 500 * HOUR + MINUTE, DELAY)).toEqual({ step: "wait", until: 500 * HOUR + DELAY });
    expect(rolloverStep(persisted, current, 499 * HOUR, DELAY)).toEqual({ step: "wait", until: 500 * HOUR + DELAY });
  });

  it("walks a rollover minute by minute: no leaf of the next CA before every peer had the bundle a full delay", () => {
    const policy: LifetimePolicy = { caValidityMs: 720 * HOUR, certValidityMs: 48 * HOUR };
    let signing = current;
    let next: { ca: Lifetime; trustedSince?: number } | undefined;
    let bundleHasNextSince: number | undefined;
    // A leaf due (two thirds of 48 h) at the very minute the CA rolls over.
    let leaf: { lifetime: Lifetime; by: Lifetime } = { lifetime: { notBefore: 448 * HOUR, notAfter: 496 * HOUR }, by: current };
    const issued: { at: number; by: Lifetime }[] = [];
    for (let now = 470 * HOUR; now < 500 * HOUR; now += MINUTE) {
      if (!next && caDecision(signing, now, policy).renew) next = { ca: { notBefore: now, notAfter: now + policy.caValidityMs } };
      if (next) {
        const step = rolloverStep(next, signing, now, DELAY);
        if (step.step === "publish-bundle") next = { ...next, trustedSince: (bundleHasNextSince = now) };
        else if (step.step === "promote") [signing, next] = [next.ca, undefined];
      }
      if (leafDecision(leaf.lifetime, { issuedByCurrentCa: leaf.by === signing, now, policy }).renew) {
        leaf = { lifetime: { notBefore: now, notAfter: Math.min(now + policy.certValidityMs, signing.notAfter) }, by: signing };
        issued.push({ at: now, by: signing });
      }
    }
    expect(caRolloverAt(current, policy)).toBe(480 * HOUR);
    const fromNext = issued.filter((i) => i.by !== current);
    expect(fromNext.length).toBeGreaterThan(0);
    expect(bundleHasNextSince).toBe(480 * HOUR);
    for (const i of fromNext) expect(i.at).toBeGreaterThanOrEqual(bundleHasNextSince! + DELAY);
    // The leaf due at the rollover minute comes from the current CA; the next signs only after the delay.
    expect(issued.map((i) => ({ at: i.at, byCurrent: i.by === current }))).toEqual([
      { at: 480 * HOUR, byCurrent: true },
      { at: 480 * HOUR + DELAY, byCurrent: false },
    ]);
  });

  it("refuses a negative delay or one that does not fit before the current CA ends", () => {
    expect(propagationDelayErrors(DELAY, POLICY)).toEqual([]);
    expect(propagationDelayErrors(0, POLICY)).toEqual([]);
    expect(propagationDelayErrors(-1, POLICY)).toEqual(["ca-propagation-delay must not be negative"]);
    expect(propagationDelayErrors(48 * HOUR, POLICY)[0]).toContain("shorter than cert-validity");
  });

  it("refuses lifetimes whose rollovers come closer than a leaf's renew margin plus the delay, naming the flags", () => {
    const close: LifetimePolicy = { caValidityMs: 8 * HOUR, certValidityMs: 6 * HOUR, renewBeforeMs: HOUR };
    // Rolled over one leaf lifetime before its end: a CA signs for 2 h, more than 1 h + 2 m.
    expect(caSigningWindowMs(close)).toBe(2 * HOUR);
    expect(propagationDelayErrors(DELAY, close)).toEqual([]);
    expect(propagationDelayErrors(DELAY, { ...close, caValidityMs: 7 * HOUR })).toEqual([
      "ca-validity 7h is too short for cert-validity 6h, renew-before 1h and ca-propagation-delay 2m: a CA would sign for 1h before the next rollover, " +
        "not more than a leaf's renew margin (1h) plus the propagation delay; make ca-validity longer than 422m or cert-validity shorter",
    ]);
    // With the default fraction the margin is a third of the leaf (2 h of 6 h).
    expect(propagationDelayErrors(DELAY, { caValidityMs: 8 * HOUR, certValidityMs: 6 * HOUR })[0]).toContain("renew-fraction 0.6667 and ca-propagation-delay 2m");
    expect(propagationDelayErrors(DELAY, { caValidityMs: 9 * HOUR, certValidityMs: 6 * HOUR })).toEqual([]);
    // A small CA renew fraction rolls the CA over early: the window is that fraction of its life.
    expect(caSigningWindowMs({ ...POLICY, renewFraction: 0.01 })).toBeCloseTo(7.2 * HOUR);
    expect(propagationDelayErrors(DELAY, { ...POLICY, renewFraction: 0.01 })[0]).toContain("a CA would sign for");
  });
});
