// cert-manager: the only holder of the CA key. The replica that holds the signer lease
// (KvLock) keeps the CA, the trust bundle and the Envoy client certificate current on
// every tick, and answers the xds-servers' signing requests; the others wait for the lease.
// Order matters for a rollover that drops no connection: the next CA joins the trust bundle
// (on the bus and in every Envoy Secret) first, signs nothing until a propagation delay has
// passed since (the kubelet refreshes mounted Secrets only every minute or so), and a retired
// CA leaves the bundle only once no leaf it signed can be in use (retired-cas.ts in
// libs/pki): several may be retired at once when rollovers come close together. Private
// keys go to SecretSinks only.
import { Backoff, type BackoffPolicy } from "@gatehouse/runtime";
import { BucketStore, CERT_SIGNING_SUBJECT, certificateSigningRequestCodec, certificateSigningResponseCodec, encodeKeyPart, KvLock, type BusComponent, type CertificateRecord, type CertificateSigningResponse } from "@gatehouse/bus";
import {
  caDecision,
  certificateInfo,
  createCa,
  issuedBy,
  issueLeafWithKey,
  leafDecision,
  leavesEndBy,
  planRetiredCas,
  privateKeyPem,
  rolloverStep,
  signCsr,
  trustBundle,
  type CsrPolicy,
  type KeySpec,
  type Lifetime,
  type LifetimePolicy,
} from "@gatehouse/pki";
import type { Msg, NatsConnection, Subscription } from "nats";
import type { Logger } from "pino";
import { loadCaState, saveCaState, trustedCas, type CaState, type RetiredCa } from "../stores/ca-store";
import { SecretMissingError, type SecretSink } from "../stores/secret-sink";
import { certManagerMetrics } from "./cert-manager-metrics";
import { GatewayNamespaces } from "./gateway-namespaces";

/** Keys of the `certs` bucket. */
export const CERT_KEYS = { ca: "ca", trustBundle: "trust-bundle", envoyClient: "envoy-client", xdsServerPrefix: "xds-server." } as const;

/** File names of the Envoy client Secret (what `gatehouse bootstrap --cert-dir` points Envoy at). */
export const ENVOY_SECRET_FILES = { cert: "tls.crt", key: "tls.key", ca: "ca.crt" } as const;

export interface CertManagerOptions {
  readonly nc: NatsConnection;
  readonly logger: Logger;
  /** Where the CA certificate and key live (never the bus). */
  readonly caStore: SecretSink;
  /** The Secret the Envoy pods mount: client certificate, key and CA bundle. */
  readonly envoySink: SecretSink;
  readonly policy: LifetimePolicy;
  readonly caKeySpec: KeySpec;
  readonly keySpec: KeySpec;
  /** What an xds-server may ask for. */
  readonly serverPolicy: CsrPolicy;
  readonly envoyCommonName: string;
  /** How often the leader checks what is due (and the lease is renewed at least every third of its TTL). */
  readonly checkIntervalMs: number;
  readonly lock: { readonly holder: string; readonly ttlMs: number };
  /**
   * How long a new CA is only trusted before it signs: long enough for every peer to have
   * the trust bundle holding it (kubelet Secret refresh in Kubernetes mode).
   */
  readonly propagationDelayMs: number;
  /**
   * Kubernetes mode: called with the namespaces of the Gateways in `resources` (after their
   * replay, then on every change); the Envoy client Secret is written there too.
   */
  readonly followGatewayNamespaces?: (namespaces: readonly string[]) => void;
  /** Retries after a failed pass or a missing Secret (default 1 s doubling to 30 s). */
  readonly retryBackoff?: BackoffPolicy;
  /** The clock (injected in tests). */
  readonly now?: () => number;
}

export class CertManagerService implements BusComponent {
  private readonly log: Logger;
  private readonly metrics = certManagerMetrics();
  private readonly now: () => number;
  private readonly requestCodec = certificateSigningRequestCodec();
  private readonly responseCodec = certificateSigningResponseCodec();
  private store!: BucketStore<"certs">;
  private lock!: KvLock;
  private timer: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private state: CaState | undefined;
  /** Ticks and signing requests run one at a time. */
  private serial: Promise<unknown> = Promise.resolve();
  private closed = false;
  private firstTickDone = false;
  private pendingTick: Promise<void> | undefined;
  private tickAgain = false;
  private readonly retry: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeTimerAt: number | undefined;
  private gatewayNamespaces: GatewayNamespaces | undefined;
  /** Namespaces whose Envoy client Secret does not exist (this pass). */
  private missing = new Set<string>();

  constructor(private readonly opts: CertManagerOptions) {
    this.log = opts.logger.child({ component: "cert-manager" });
    this.now = opts.now ?? Date.now;
    this.retry = new Backoff(opts.retryBackoff ?? { initialMs: 1_000, maxMs: 30_000, jitter: 0.2 });
  }

  get ready(): boolean {
    return this.firstTickDone;
  }

  get isLeader(): boolean {
    return this.lock?.held ?? false;
  }

  async start(): Promise<void> {
    this.store = await BucketStore.open(this.opts.nc, "certs", { logger: this.log });
    this.lock = await KvLock.open(this.opts.nc, { name: "cert-manager-signer", holder: this.opts.lock.holder, ttlMs: this.opts.lock.ttlMs });
    const follow = this.opts.followGatewayNamespaces;
    if (follow) {
      let started = false;
      this.gatewayNamespaces = new GatewayNamespaces(this.opts.nc, this.log, (namespaces) => {
        follow(namespaces);
        // A new Gateway namespace gets its Secret now, not at the next check.
        if (started) void this.tick();
      });
      await this.gatewayNamespaces.start();
      started = true;
    }
    await this.tick();
    const every = Math.min(this.opts.checkIntervalMs, Math.floor(this.opts.lock.ttlMs / 3));
    this.timer = setInterval(() => void this.tick(), every);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.wakeTimer);
    await this.gatewayNamespaces?.stop();
    await this.serial.catch(() => {});
    await this.stopSigning();
    await this.lock?.release();
    this.metrics.leader.set(0);
  }

  /**
   * One pass: renew the lease, then (as leader) bring every certificate up to date. A tick
   * asked for while one is pending joins it and gets one more pass after it (what changed
   * meanwhile is seen): slow passes (key generation on a busy host) never pile up.
   */
  tick(): Promise<void> {
    if (this.pendingTick) {
      this.tickAgain = true;
      return this.pendingTick;
    }
    const run = async () => {
      do {
        this.tickAgain = false;
        await this.tickOnce();
      } while (this.tickAgain && !this.closed);
    };
    return (this.pendingTick = this.exclusive(run).finally(() => (this.pendingTick = undefined)));
  }

  private async tickOnce(): Promise<void> {
    if (this.closed) return;
    let leader = false;
    try {
      leader = await this.lock.acquireOrRenew();
    } catch (err) {
      this.metrics.failures.inc({ operation: "lock" });
      this.log.warn({ err: (err as Error).message }, "cannot renew the signer lease; standing down until NATS answers");
    }
    this.metrics.leader.set(leader ? 1 : 0);
    if (!leader) {
      if (this.subscription) this.log.info({}, "lost the signer lease; another replica signs now");
      await this.stopSigning();
      this.firstTickDone = true;
      return;
    }
    let complete = false;
    try {
      complete = await this.reconcile();
      if (!this.subscription) this.startSigning();
    } catch (err) {
      this.metrics.failures.inc({ operation: "reconcile" });
      this.log.error({ err: (err as Error).message }, "certificate reconcile failed; retrying");
    }
    this.scheduleRetry(complete);
    this.firstTickDone = true;
  }

  /** After a failed or incomplete pass, another one with back-off (not only at the next check). */
  private scheduleRetry(complete: boolean): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (complete) return this.retry.reset();
    if (this.closed) return;
    this.retryTimer = setTimeout(() => void this.tick(), this.retry.next());
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => {});
    return run;
  }

  /** Brings everything up to date; false when something is left to retry (a missing Secret). */
  private async reconcile(): Promise<boolean> {
    let state = await this.advanceCa(await loadCaState(this.opts.caStore));
    this.state = state;
    this.missing = new Set();
    for (;;) {
      const caPem = state.current.certPem;
      const bundle = trustBundle(trustedCas(state));
      // 1. The bundle first: peers must trust a CA before anyone presents its leaves.
      await this.publish(CERT_KEYS.ca, caPem, bundle);
      await this.publish(CERT_KEYS.trustBundle, "", bundle, caPem);
      // 2. The Envoy client certificate (with the bundle it verifies the xds-server by).
      const envoyCert = await this.reconcileEnvoySecret(caPem, bundle);
      if (envoyCert) await this.publish(CERT_KEYS.envoyClient, envoyCert, bundle);
      // 3. The next CA's bundle is out everywhere (a Secret that does not exist serves no pod
      //    that could hold an older bundle): its propagation delay starts, persisted.
      if (state.next && state.next.trustedSince === undefined) {
        state = { ...state, next: { ...state.next, trustedSince: this.now() } };
        await saveCaState(this.opts.caStore, state);
        this.log.info({ next: summary(state.next!.ca.certPem), signsAfterMs: this.opts.propagationDelayMs }, "trust bundle with the next CA published; it signs once the propagation delay has passed");
        const advanced = await this.advanceCa(state);
        if (advanced !== state) {
          this.state = state = advanced;
          continue;
        }
        this.state = state;
      }
      // 4. Forget expired xds-server leaves; drop the retired CAs no live leaf can need.
      const now = this.now();
      const xdsLeaves: string[] = [];
      for (const key of await this.store.keys(`${CERT_KEYS.xdsServerPrefix}>`)) {
        const rec = (await this.store.get(key))?.value;
        if (!rec) continue;
        if (rec.notAfterUnixMs <= now) await this.store.delete(key);
        else xdsLeaves.push(rec.certificateChainPem);
      }
      this.updateExpiryMetrics(envoyCert, xdsLeaves, now);
      this.updateMissingMetric();
      if (!state.retired.length) return this.missing.size === 0;
      const retired = await this.retireCas(state, envoyCert, xdsLeaves, now);
      if (retired === state) return this.missing.size === 0;
      this.state = state = retired;
      // The bundle changed (a CA left): publish it again.
    }
  }

  /**
   * Brings the retired CAs up to date (see planRetiredCas) and stores the result before it
   * is published; returns the same state when nothing changed. The Envoy client certificate
   * unknown this pass (no Secret readable) leaves only time to drop a CA.
   */
  private async retireCas(state: CaState, envoyCert: string | undefined, xdsLeaves: readonly string[], now: number): Promise<CaState> {
    const leaves = [...(envoyCert ? [envoyCert] : []), ...xdsLeaves].map((pem) => ({ pem, notAfter: certificateInfo(pem).notAfter }));
    const plan = planRetiredCas(
      state.retired,
      (ca: RetiredCa) => (envoyCert === undefined ? undefined : leaves.filter((l) => issuedBy(l.pem, ca.certPem)).map((l) => l.notAfter)),
      now,
      this.opts.propagationDelayMs,
    );
    for (const ca of plan.keep) this.metrics.expiry.set({ certificate: `retired-ca.${certificateInfo(ca.certPem).serialHex.slice(0, 16)}` }, (ca.notAfter - now) / 1000);
    if (plan.lookAgainAt !== undefined) this.wakeAt(plan.lookAgainAt - now);
    if (!plan.changed) return state;
    const next: CaState = { ...state, retired: plan.keep };
    await saveCaState(this.opts.caStore, next);
    for (const { ca, reason } of plan.dropped) {
      const info = certificateInfo(ca.certPem);
      this.metrics.expiry.remove({ certificate: `retired-ca.${info.serialHex.slice(0, 16)}` });
      this.log.info({ reason, dropped: { serial: info.serialHex, fingerprint: info.fingerprintSha256 }, stillTrusted: plan.keep.length }, "retired CA dropped from the trust bundle: no leaf it signed can be in use");
    }
    return next;
  }

  /**
   * The CA step of a pass: a first CA; a next CA when the current one is due (trusted at
   * once, signing only after the propagation delay); the next one promoted once the delay
   * has passed. Every change is stored before it is acted on.
   */
  private async advanceCa(state: CaState | undefined): Promise<CaState> {
    const now = this.now();
    const { policy } = this.opts;
    if (state?.next) {
      const current = certificateInfo(state.current.certPem);
      const step = rolloverStep(state.next, current, now, this.opts.propagationDelayMs);
      if (step.step === "wait") {
        this.metrics.propagationWait.set((step.until - now) / 1000);
        this.wakeAt(step.until - now);
      }
      if (step.step !== "promote") return state;
      const promoted: CaState = { current: state.next.ca, retired: this.retire(state, current, now) };
      await saveCaState(this.opts.caStore, promoted);
      this.metrics.propagationWait.set(0);
      this.log.info({ reason: step.reason, ca: summary(promoted.current.certPem), retired: promoted.retired.length }, "next CA promoted: it signs now; the retired CAs stay trusted while leaves they signed may be in use");
      return promoted;
    }
    const due = caDecision(state && certificateInfo(state.current.certPem), now, policy);
    if (!due.renew) return state!;
    const ca = createCa({ keySpec: this.opts.caKeySpec, now, validityMs: policy.caValidityMs });
    this.metrics.rotations.inc({ certificate: "ca", reason: due.reason });
    if (state && due.reason === "due") {
      const next: CaState = { ...state, next: { ca } };
      // Stored before it is published: a restart continues this rollover, not a new one.
      await saveCaState(this.opts.caStore, next);
      this.log.info({ reason: due.reason, next: summary(ca.certPem) }, "CA rollover started: the next CA joins the trust bundle first");
      return next;
    }
    // No CA yet, or the current one is unusable (expired, not yet valid): sign with the new one at once.
    const fresh: CaState = { current: ca, retired: state ? this.retire(state, certificateInfo(state.current.certPem), now) : [] };
    await saveCaState(this.opts.caStore, fresh);
    this.log.info({ reason: due.reason, ca: summary(ca.certPem), retired: fresh.retired.length }, "CA issued");
    return fresh;
  }

  /** The retired CAs once the current one stops signing at `now` (it joins them unless expired). */
  private retire(state: CaState, current: Lifetime, now: number): RetiredCa[] {
    if (now >= current.notAfter) return [...state.retired];
    // A clock behind the CA's own start says nothing about when it last signed: bound its leaves by its end.
    const ends = now < current.notBefore ? current.notAfter : leavesEndBy(current, now, this.opts.policy.certValidityMs);
    const retiring: RetiredCa = { certPem: state.current.certPem, notAfter: current.notAfter, leavesEndBy: ends };
    return [retiring, ...state.retired];
  }

  /**
   * A pass at `inMs` from now (the end of a propagation delay, a retired CA's leaves
   * expiring), besides the regular checks; the earliest asked for wins.
   */
  private wakeAt(inMs: number): void {
    const delay = Math.max(0, Math.min(inMs, 2 ** 31 - 1)) + 10;
    const at = Date.now() + delay;
    if (this.wakeTimer && this.wakeTimerAt !== undefined && this.wakeTimerAt <= at && this.wakeTimerAt > Date.now()) return;
    clearTimeout(this.wakeTimer);
    if (this.closed) return;
    this.wakeTimerAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      void this.tick();
    }, delay);
  }

  /**
   * Keeps every copy of the Envoy Secret current (a new Gateway namespace's empty Secret
   * gets the same certificate); returns its certificate, or undefined when no copy exists.
   */
  private async reconcileEnvoySecret(caPem: string, bundle: string): Promise<string | undefined> {
    const sink = this.opts.envoySink;
    let data;
    try {
      data = await sink.read();
    } catch (err) {
      if (!(err instanceof SecretMissingError)) throw err;
      this.reportMissing(err);
      return undefined;
    }
    const certPem = data?.[ENVOY_SECRET_FILES.cert];
    let info;
    try {
      info = certPem ? certificateInfo(certPem) : undefined;
    } catch {
      info = undefined;
    }
    const decision = leafDecision(info, { issuedByCurrentCa: !!certPem && issuedBy(certPem, caPem), now: this.now(), policy: this.opts.policy });
    let desired: Record<string, string>;
    let leafPem: string;
    if (!decision.renew && data?.[ENVOY_SECRET_FILES.key]) {
      // Same certificate and key; the bundle as it is now.
      desired = { ...data, [ENVOY_SECRET_FILES.ca]: bundle };
      leafPem = certPem!;
    } else {
      const leaf = issueLeafWithKey({
        ca: this.state!.current,
        usage: "client",
        commonName: this.opts.envoyCommonName,
        keySpec: this.opts.keySpec,
        now: this.now(),
        validityMs: this.opts.policy.certValidityMs,
      });
      desired = { [ENVOY_SECRET_FILES.cert]: leaf.certPem, [ENVOY_SECRET_FILES.key]: privateKeyPem(leaf.key), [ENVOY_SECRET_FILES.ca]: bundle };
      leafPem = leaf.certPem;
      this.metrics.rotations.inc({ certificate: CERT_KEYS.envoyClient, reason: decision.renew ? decision.reason : "missing" });
      this.log.info({ reason: decision.renew ? decision.reason : "missing", certificate: summary(leaf.certPem), sink: sink.description }, "Envoy client certificate issued");
    }
    // Writes only the copies that differ: none on most passes.
    try {
      await sink.write(desired);
    } catch (err) {
      if (!(err instanceof SecretMissingError)) throw err;
      this.reportMissing(err);
    }
    if (data?.[ENVOY_SECRET_FILES.ca] !== undefined && data[ENVOY_SECRET_FILES.ca] !== bundle && leafPem === certPem) {
      this.log.info({ sink: sink.description }, "Envoy client trust bundle updated");
    }
    return leafPem;
  }

  private reportMissing(err: SecretMissingError): void {
    const fresh = err.namespaces.filter((ns) => !this.missing.has(ns));
    for (const ns of err.namespaces) this.missing.add(ns);
    if (!fresh.length) return;
    this.metrics.failures.inc({ operation: "envoy-secret-missing" });
    this.log.error({ namespaces: err.namespaces, secret: err.secretName, retryInMs: this.retry.peek() }, err.message);
  }

  private updateMissingMetric(): void {
    this.metrics.envoySecretMissing.reset();
    for (const ns of this.missing) this.metrics.envoySecretMissing.set({ namespace: ns }, 1);
  }

  /** Puts a record unless the bucket already holds the same certificate and bundle. */
  private async publish(key: string, certPem: string, bundle: string, lifetimeOf = certPem): Promise<CertificateRecord> {
    const info = certificateInfo(lifetimeOf);
    const record: CertificateRecord = {
      name: key,
      certificateChainPem: certPem,
      trustBundlePem: bundle,
      notBeforeUnixMs: info.notBefore,
      notAfterUnixMs: info.notAfter,
      serialHex: info.serialHex,
      fingerprintSha256: info.fingerprintSha256,
    };
    const current = (await this.store.get(key))?.value;
    if (current?.certificateChainPem === certPem && current.trustBundlePem === bundle) return current;
    try {
      await this.store.put(key, record);
    } catch (err) {
      this.metrics.failures.inc({ operation: "publish" });
      throw err;
    }
    return record;
  }

  private updateExpiryMetrics(envoyCert: string | undefined, xdsLeaves: string[], now: number): void {
    this.metrics.expiry.reset();
    const set = (name: string, pem: string) => this.metrics.expiry.set({ certificate: name }, (certificateInfo(pem).notAfter - now) / 1000);
    set("ca", this.state!.current.certPem);
    if (this.state!.next) set("next-ca", this.state!.next.ca.certPem);
    if (envoyCert) set(CERT_KEYS.envoyClient, envoyCert);
    // xds-server leaves are tracked by their holders too; here: the soonest to expire.
    const soonest = [...xdsLeaves].sort((a, b) => certificateInfo(a).notAfter - certificateInfo(b).notAfter)[0];
    if (soonest) set("xds-server", soonest);
  }

  private startSigning(): void {
    this.subscription = this.opts.nc.subscribe(CERT_SIGNING_SUBJECT, {
      callback: (err, msg) => {
        if (err) return;
        void this.exclusive(() => this.answer(msg)).then((replaced) => {
          // The requester's previous leaf may have been the last one a retired CA signed.
          if (replaced && this.state?.retired.length) void this.tick();
        });
      },
    });
    this.log.info({ subject: CERT_SIGNING_SUBJECT }, "holding the signer lease; answering certificate signing requests");
  }

  private async stopSigning(): Promise<void> {
    const sub = this.subscription;
    this.subscription = undefined;
    if (sub && !this.opts.nc.isClosed()) await sub.drain().catch(() => {});
  }

  /** Answers one signing request; true when a new certificate was issued. */
  private async answer(msg: Msg): Promise<boolean> {
    let reply: CertificateSigningResponse;
    try {
      reply = await this.sign(msg.data);
    } catch (err) {
      this.metrics.failures.inc({ operation: "sign" });
      this.log.error({ err: (err as Error).message }, "signing request failed");
      reply = { ok: false, reason: "InternalError", message: "cert-manager could not sign; retry" };
    }
    this.metrics.signingRequests.inc({ result: reply.ok ? "Signed" : reply.reason });
    msg.respond(this.responseCodec.encode(reply));
    return reply.ok;
  }

  private async sign(bytes: Uint8Array): Promise<CertificateSigningResponse> {
    let request;
    try {
      request = this.requestCodec.decode(bytes);
    } catch (err) {
      return { ok: false, reason: "Malformed", message: (err as Error).message };
    }
    const log = this.log.child({ requester: request.requester });
    if (!this.isLeader || !this.state) return { ok: false, reason: "NotLeader", message: "this cert-manager does not hold the signer lease" };
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(request.requester)) {
      return { ok: false, reason: "Malformed", message: "requester must be 1-128 letters, digits, '.', '_' or '-'" };
    }
    const signed = signCsr({ csrPem: request.csrPem, ca: this.state.current, policy: this.opts.serverPolicy, usage: "server", now: this.now(), validityMs: this.opts.policy.certValidityMs });
    if (!signed.ok) {
      log.warn({ reason: signed.reason, error: signed.message }, "certificate signing request refused");
      return signed;
    }
    const bundle = trustBundle(trustedCas(this.state));
    const record = await this.publish(`${CERT_KEYS.xdsServerPrefix}${encodeKeyPart(request.requester)}`, signed.certPem, bundle);
    this.metrics.rotations.inc({ certificate: "xds-server", reason: "requested" });
    log.info({ certificate: summary(signed.certPem), names: signed.names }, "xds-server certificate signed");
    return { ok: true, certificate: record };
  }
}

function summary(pem: string) {
  const i = certificateInfo(pem);
  return { serial: i.serialHex, fingerprint: i.fingerprintSha256.slice(0, 16), notAfter: new Date(i.notAfter).toISOString() };
}
