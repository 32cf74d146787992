// A minute-by-minute walk through consecutive CA rollovers with leaves almost as long as
// the CA, driving the same pure decisions cert-manager acts on (caDecision, rolloverStep,
// leafDecision, planRetiredCas). The pods see the Envoy Secret a full propagation delay
// late (the kubelet's worst case); one xds-server renews the moment the CA changes, the
// other only when its leaf is due, so leaves of several retired CAs are live at once.
import { describe, expect, it } from "vitest";
import { caDecision, leafDecision, lifetimeErrors, type Lifetime, type LifetimePolicy } from "./renewal";
import { leavesEndBy, planRetiredCas, type RetiredCaTiming } from "./retired-cas";
import { propagationDelayErrors, rolloverStep } from "./rollover";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DELAY = 2 * MINUTE;
// 6 h leaves from an 8 h CA: a rollover every 2 h, a slow holder's leaf spans three CAs.
const POLICY: LifetimePolicy = { caValidityMs: 8 * HOUR, certValidityMs: 6 * HOUR, renewBeforeMs: HOUR };

interface Ca extends Lifetime {
  readonly id: number;
}
interface Leaf extends Lifetime {
  readonly issuer: number;
}
type Retired = RetiredCaTiming & { readonly id: number };
/** What cert-manager persists (its CA store): a restart keeps this and nothing else. */
interface Persisted {
  signing: Ca;
  next?: { ca: Ca; trustedSince?: number };
  retired: Retired[];
}

function walk(opts: { minutes: number; restartAt?: readonly number[] }) {
  let ids = 0;
  const newCa = (now: number): Ca => ({ id: ++ids, notBefore: now, notAfter: now + POLICY.caValidityMs });
  const issue = (by: Ca, now: number): Leaf => ({ issuer: by.id, notBefore: now, notAfter: Math.min(now + POLICY.certValidityMs, by.notAfter) });
  const start = 0;
  let persisted: Persisted = { signing: newCa(start), retired: [] };
  const bundleOf = (p: Persisted) => [p.signing, ...(p.next ? [p.next.ca] : []), ...p.retired];
  let envoyLeaf = issue(persisted.signing, start);
  // The Envoy Secret's versions; the pods see the newest one written a full delay ago.
  const secretWrites: { at: number; leaf: Leaf; bundle: number[] }[] = [{ at: start - DELAY, leaf: envoyLeaf, bundle: [persisted.signing.id] }];
  const xds = { prompt: issue(persisted.signing, start), slow: issue(persisted.signing, start) };
  const unusedSince = new Map<number, number>();
  const failures: string[] = [];
  const bundleSizes: number[] = [];
  // Minutes at which a live leaf chained to a retired CA older than the newest retired one:
  // the CA a single "previous" slot would have dropped.
  let beyondPrevious = 0;
  let rollovers = 0;
  let restarts = 0;

  for (let now = start; now <= start + opts.minutes * MINUTE; now += MINUTE) {
    if (opts.restartAt?.includes(now)) {
      // Only the store survives: a JSON round trip, as the CA store writes it.
      persisted = JSON.parse(JSON.stringify(persisted)) as Persisted;
      restarts++;
    }
    // One cert-manager pass, in the service's order.
    const p = persisted;
    if (p.next) {
      const step = rolloverStep(p.next, p.signing, now, DELAY);
      if (step.step === "promote") {
        const retiring = now < p.signing.notAfter ? [{ ...p.signing, leavesEndBy: leavesEndBy(p.signing, now, POLICY.certValidityMs) }] : [];
        persisted = { signing: p.next.ca, retired: [...retiring, ...p.retired] };
      }
    } else if (caDecision(p.signing, now, POLICY).renew) {
      persisted = { ...p, next: { ca: newCa(now) } };
      rollovers++;
    }
    const current = persisted.signing;
    if (leafDecision(envoyLeaf, { issuedByCurrentCa: envoyLeaf.issuer === current.id, now, policy: POLICY }).renew) envoyLeaf = issue(current, now);
    // The bundle (with a next CA in it) is out everywhere: its delay starts.
    if (persisted.next && persisted.next.trustedSince === undefined) persisted = { ...persisted, next: { ...persisted.next, trustedSince: now } };
    // The xds-servers ask for certificates (the prompt one saw the `ca` record change).
    if (leafDecision(xds.prompt, { issuedByCurrentCa: xds.prompt.issuer === current.id, now, policy: POLICY }).renew) xds.prompt = issue(current, now);
    if (leafDecision(xds.slow, { issuedByCurrentCa: true, now, policy: POLICY }).renew) xds.slow = issue(current, now);
    const known = [envoyLeaf, xds.prompt, xds.slow];
    const plan = planRetiredCas(persisted.retired, (r) => known.filter((l) => l.issuer === r.id).map((l) => l.notAfter), now, DELAY);
    persisted = { ...persisted, retired: [...plan.keep] };
    const bundle = bundleOf(persisted);
    const last = secretWrites[secretWrites.length - 1]!;
    if (last.leaf !== envoyLeaf || last.bundle.join() !== bundle.map((c) => c.id).join()) secretWrites.push({ at: now, leaf: envoyLeaf, bundle: bundle.map((c) => c.id) });

    // What is in use at this minute.
    const pods = [...secretWrites].reverse().find((w) => w.at <= now - DELAY)!;
    const live = (l: Leaf) => now >= l.notBefore && now < l.notAfter;
    const at = `minute ${now / MINUTE}`;
    // The xds-server verifies Envoy's certificate (as the pods have it) with the bundle on the bus.
    if (!live(pods.leaf)) failures.push(`${at}: the pods' Envoy certificate is not valid`);
    if (!bundle.some((c) => c.id === pods.leaf.issuer)) failures.push(`${at}: the pods' Envoy certificate (CA ${pods.leaf.issuer}) chains to no CA in the bus bundle`);
    // Envoy verifies the xds-servers' certificates with the bundle in its (late) Secret.
    for (const [name, leaf] of Object.entries(xds)) {
      if (!live(leaf)) failures.push(`${at}: the ${name} xds-server's certificate is not valid`);
      if (!pods.bundle.includes(leaf.issuer)) failures.push(`${at}: the ${name} xds-server's certificate (CA ${leaf.issuer}) chains to no CA in the pods' bundle`);
    }
    // No expired CA, and no retired one kept longer than its last live leaf plus the delay.
    for (const c of bundle) if (now >= c.notAfter) failures.push(`${at}: CA ${c.id} expired but still in the bundle`);
    for (const r of persisted.retired) {
      const inUse = [...known, pods.leaf].some((l) => l.issuer === r.id && live(l));
      if (inUse) unusedSince.delete(r.id);
      else if (!unusedSince.has(r.id)) unusedSince.set(r.id, now);
      else if (now >= unusedSince.get(r.id)! + DELAY) failures.push(`${at}: retired CA ${r.id} kept though unused since minute ${unusedSince.get(r.id)! / MINUTE}`);
    }
    bundleSizes.push(bundle.length);
    const older = persisted.retired.slice(1).map((r) => r.id);
    if ([pods.leaf, ...Object.values(xds)].some((l) => live(l) && older.includes(l.issuer))) beyondPrevious++;
  }
  return { failures, rollovers, restarts, maxBundle: Math.max(...bundleSizes), beyondPrevious, persisted };
}

describe("consecutive CA rollovers with leaves close to the CA's lifetime", () => {
  it("is a configuration the validation accepts", () => {
    expect(lifetimeErrors(POLICY)).toEqual([]);
    expect(propagationDelayErrors(DELAY, POLICY)).toEqual([]);
  });

  it("keeps every live leaf chained to a published CA at every minute, with several CAs retired at once", () => {
    const r = walk({ minutes: 24 * 60 });
    expect(r.failures).toEqual([]);
    // Every 2 h (8 h CA, rolled over one 6 h leaf lifetime before its end).
    expect(r.rollovers).toBe(12);
    // The slow xds-server's leaf outlives two rollovers: two retired CAs at once, the older
    // one still needed by it (about a minute per rollover, until the newer one's last leaves settle).
    expect(r.maxBundle).toBe(3);
    expect(r.beyondPrevious).toBeGreaterThan(0);
  });

  it("converges across restarts mid-rollover from the persisted state alone", () => {
    // Mid propagation delay, mid replacement propagation, and between rollovers.
    const r = walk({ minutes: 24 * 60, restartAt: [121 * MINUTE, 243 * MINUTE, 300 * MINUTE, 605 * MINUTE] });
    expect(r.restarts).toBe(4);
    expect(r.failures).toEqual([]);
    expect(r.persisted).toEqual(walk({ minutes: 24 * 60 }).persisted);
  });
});
