import { describe, expect, it } from "vitest";
import { leavesEndBy, planRetiredCas, retiredCaVerdict, type RetiredCaTiming } from "./retired-cas";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DELAY = 2 * MINUTE;
// Retired at 100 h, 48 h leaves: nothing it signed lives past 148 h; it expires at 200 h.
const ca: RetiredCaTiming = { notAfter: 200 * HOUR, leavesEndBy: leavesEndBy({ notAfter: 200 * HOUR }, 100 * HOUR, 48 * HOUR) };

describe("retired CA verdict", () => {
  it("bounds a retired CA's leaves by when it stopped signing plus a leaf lifetime, and by its own end", () => {
    expect(ca.leavesEndBy).toBe(148 * HOUR);
    expect(leavesEndBy({ notAfter: 120 * HOUR }, 100 * HOUR, 48 * HOUR)).toBe(120 * HOUR);
  });

  it("keeps it while a known live leaf chains to it, whatever the computed bound says", () => {
    const now = 101 * HOUR;
    expect(retiredCaVerdict(ca, [140 * HOUR], now, DELAY)).toEqual({ keep: true, reason: "leaf-in-use", unusedSince: undefined, until: 140 * HOUR });
    // A leaf signed under a longer cert validity before a restart outlives the bound: it still counts.
    expect(retiredCaVerdict(ca, [160 * HOUR], 150 * HOUR, DELAY)).toEqual({ keep: true, reason: "leaf-in-use", unusedSince: undefined, until: 160 * HOUR });
    // A leaf seen again after it was thought unused clears the mark.
    expect(retiredCaVerdict({ ...ca, unusedSince: now - MINUTE }, [140 * HOUR], now, DELAY)).toMatchObject({ keep: true, unusedSince: undefined });
  });

  it("once no live leaf chains to it, keeps it for the propagation delay so the replacements reach every pod", () => {
    const now = 101 * HOUR;
    // Its last leaf was just reissued (or expired: only leaves still valid count).
    expect(retiredCaVerdict(ca, [100 * HOUR], now, DELAY)).toEqual({ keep: true, reason: "replacements-propagating", unusedSince: now, until: now + DELAY });
    const marked = { ...ca, unusedSince: now };
    expect(retiredCaVerdict(marked, [], now + DELAY - 1, DELAY)).toMatchObject({ keep: true, reason: "replacements-propagating", until: now + DELAY });
    expect(retiredCaVerdict(marked, [], now + DELAY, DELAY)).toEqual({ keep: false, reason: "reissued" });
    // No delay: dropped in the pass that sees it unused.
    expect(retiredCaVerdict(ca, [], now, 0)).toEqual({ keep: false, reason: "reissued" });
    // A clock stepped back before the mark waits from the earlier moment, not less.
    expect(retiredCaVerdict(marked, [], now - HOUR, DELAY)).toMatchObject({ keep: true, unusedSince: now - HOUR, until: now - HOUR + DELAY });
  });

  it("drops it when it expires or when every leaf it could have signed has, even with its leaves unknown", () => {
    expect(retiredCaVerdict(ca, undefined, 120 * HOUR, DELAY)).toEqual({ keep: true, reason: "leaves-unknown", unusedSince: undefined, until: 148 * HOUR });
    expect(retiredCaVerdict(ca, undefined, 148 * HOUR, DELAY)).toEqual({ keep: false, reason: "leaves-expired" });
    expect(retiredCaVerdict(ca, [], 148 * HOUR, DELAY)).toEqual({ keep: false, reason: "leaves-expired" });
    expect(retiredCaVerdict({ notAfter: 200 * HOUR, leavesEndBy: 200 * HOUR }, [300 * HOUR], 200 * HOUR, DELAY)).toEqual({ keep: false, reason: "expired" });
  });

  it("plans every retired CA at once: keeps order, reports drops and changes, and the next moment to look", () => {
    const older = { id: "older", notAfter: 150 * HOUR, leavesEndBy: 130 * HOUR };
    const newer = { id: "newer", ...ca };
    const leaves: Record<string, number[]> = { newer: [120 * HOUR], older: [] };
    const plan = planRetiredCas([newer, older], (c) => leaves[c.id], 110 * HOUR, DELAY);
    expect(plan).toEqual({ keep: [newer, { ...older, unusedSince: 110 * HOUR }], dropped: [], changed: true, lookAgainAt: 110 * HOUR + DELAY });
    const later = planRetiredCas(plan.keep, (c) => leaves[c.id], 110 * HOUR + DELAY, DELAY);
    expect(later).toEqual({ keep: [newer], dropped: [{ ca: { ...older, unusedSince: 110 * HOUR }, reason: "reissued" }], changed: true, lookAgainAt: 120 * HOUR });
    expect(planRetiredCas(later.keep, (c) => leaves[c.id], 111 * HOUR, DELAY)).toEqual({ keep: later.keep, dropped: [], changed: false, lookAgainAt: 120 * HOUR });
  });
});
