// Which retired CAs (no longer signing) the trust bundle must still hold. A CA stays as long
// as a leaf it signed may still be presented: while a known live leaf chains to it, and
// after its last one was reissued until the replacement has propagated (the kubelet hands a
// rewritten Secret to the Envoy pods only after a while). It goes at once when it expires,
// or when every leaf it could ever have signed has expired. Any number of CAs can be
// retired at once: a second rollover may start while the first one's CA is still needed.
// Pure functions over an injected clock; the caller persists what they return.

/** The timing of a retired CA, as the caller persists it. */
export interface RetiredCaTiming {
  /** The CA's own notAfter (ms): no leaf it signed outlives it. */
  readonly notAfter: number;
  /** No leaf it signed lives past this (ms): when it stopped signing plus a leaf lifetime, at most notAfter. */
  readonly leavesEndBy: number;
  /** The first moment no known live leaf chained to it (ms); the replacements propagate from then. */
  readonly unusedSince?: number;
}

export type RetiredCaVerdict =
  | {
      readonly keep: true;
      readonly reason: "leaf-in-use" | "leaves-unknown" | "replacements-propagating";
      /** What to persist as unusedSince (undefined: a leaf chains to it again). */
      readonly unusedSince: number | undefined;
      /** When the verdict can change by time alone: look again then. */
      readonly until: number;
    }
  | { readonly keep: false; readonly reason: "expired" | "leaves-expired" | "reissued" };

/** When a CA that stops signing at `retiredAt` has seen the last of its leaves expire. */
export function leavesEndBy(ca: { readonly notAfter: number }, retiredAt: number, certValidityMs: number): number {
  return Math.min(ca.notAfter, retiredAt + certValidityMs);
}

/**
 * Whether a retired CA stays in the trust bundle at `now`. `liveLeafNotAfters` are the
 * notAfter of the known leaves it issued (the Envoy client certificate, the xds-servers'
 * certificates), or undefined when the leaves could not all be read this pass: then only
 * time can drop it.
 */
export function retiredCaVerdict(ca: RetiredCaTiming, liveLeafNotAfters: readonly number[] | undefined, now: number, propagationDelayMs: number): RetiredCaVerdict {
  if (now >= ca.notAfter) return { keep: false, reason: "expired" };
  const live = liveLeafNotAfters?.filter((n) => n > now) ?? [];
  // A leaf we can see beats the computed bound (the cert validity may have been longer when it was signed).
  if (live.length) return { keep: true, reason: "leaf-in-use", unusedSince: undefined, until: Math.min(ca.notAfter, Math.max(...live)) };
  if (now >= ca.leavesEndBy) return { keep: false, reason: "leaves-expired" };
  if (!liveLeafNotAfters) return { keep: true, reason: "leaves-unknown", unusedSince: ca.unusedSince, until: ca.leavesEndBy };
  // A clock stepped back before the recorded moment only waits longer, never less.
  const since = ca.unusedSince === undefined || ca.unusedSince > now ? now : ca.unusedSince;
  const propagated = since + propagationDelayMs;
  if (now >= propagated) return { keep: false, reason: "reissued" };
  return { keep: true, reason: "replacements-propagating", unusedSince: since, until: Math.min(propagated, ca.leavesEndBy) };
}

export interface RetiredCasPlan<T extends RetiredCaTiming> {
  /** The retired CAs the bundle keeps, in the given order, with their unusedSince brought up to date. */
  readonly keep: readonly T[];
  readonly dropped: readonly { readonly ca: T; readonly reason: "expired" | "leaves-expired" | "reissued" }[];
  /** Whether anything differs from the input (the caller persists it then). */
  readonly changed: boolean;
  /** The earliest moment a verdict can change by time alone. */
  readonly lookAgainAt?: number;
}

/** The verdict for every retired CA; `leavesOf` gives the notAfter of the known leaves a CA issued. */
export function planRetiredCas<T extends RetiredCaTiming>(
  retired: readonly T[],
  leavesOf: (ca: T) => readonly number[] | undefined,
  now: number,
  propagationDelayMs: number,
): RetiredCasPlan<T> {
  const keep: T[] = [];
  const dropped: { ca: T; reason: "expired" | "leaves-expired" | "reissued" }[] = [];
  let changed = false;
  let lookAgainAt: number | undefined;
  for (const ca of retired) {
    const v = retiredCaVerdict(ca, leavesOf(ca), now, propagationDelayMs);
    if (!v.keep) {
      dropped.push({ ca, reason: v.reason });
      changed = true;
      continue;
    }
    if (v.unusedSince !== ca.unusedSince) changed = true;
    keep.push(v.unusedSince === ca.unusedSince ? ca : { ...ca, unusedSince: v.unusedSince });
    lookAgainAt = lookAgainAt === undefined ? v.until : Math.min(lookAgainAt, v.until);
  }
  return { keep, dropped, changed, lookAgainAt };
}
