// cert-manager: the only holder of the CA key. The replica that holds the signer lease
// (KvLock) keeps the CA, the trust bundle and the Envoy client certificate current on
// every tick, and answers the xds-servers' signing requests; the others wait for the lease.
// Order matters for a rollover that drops no connection: the new trust bundle reaches the
// bus before any leaf of the new CA is handed out, and the old CA leaves the bundle only
// once every live leaf comes from the new one. Private keys go to SecretSinks only.
import { BucketStore, CERT_SIGNING_SUBJECT, certificateSigningRequestCodec, certificateSigningResponseCodec, encodeKeyPart, KvLock, type BusComponent, type CertificateRecord, type CertificateSigningResponse } from "@gatehouse/bus";
import {
  canDropPreviousCa,
  caDecision,
  certificateInfo,
  createCa,
  issuedBy,
  issueLeafWithKey,
  leafDecision,
  privateKeyPem,
  signCsr,
  trustBundle,
  type CsrPolicy,
  type KeySpec,
  type LifetimePolicy,
} from "@gatehouse/pki";
import type { Msg, NatsConnection, Subscription } from "nats";
import type { Logger } from "pino";
import { loadCaState, saveCaState, type CaState } from "../stores/ca-store";
import type { SecretSink } from "../stores/secret-sink";
import { certManagerMetrics } from "./cert-manager-metrics";

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

  constructor(private readonly opts: CertManagerOptions) {
    this.log = opts.logger.child({ component: "cert-manager" });
    this.now = opts.now ?? Date.now;
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
    await this.tick();
    const every = Math.min(this.opts.checkIntervalMs, Math.floor(this.opts.lock.ttlMs / 3));
    this.timer = setInterval(() => void this.tick(), every);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.serial.catch(() => {});
    await this.stopSigning();
    await this.lock?.release();
    this.metrics.leader.set(0);
  }

  /**
   * One pass: renew the lease, then (as leader) bring every certificate up to date. A tick
   * asked for while one is pending joins it: slow passes (key generation on a busy host)
   * never pile up behind each other.
   */
  tick(): Promise<void> {
    return (this.pendingTick ??= this.exclusive(() => this.tickOnce()).finally(() => (this.pendingTick = undefined)));
  }

  private async tickOnce(): Promise<void> {
    {
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
      try {
        await this.reconcile();
        if (!this.subscription) this.startSigning();
      } catch (err) {
        this.metrics.failures.inc({ operation: "reconcile" });
        this.log.error({ err: (err as Error).message }, "certificate reconcile failed; retrying on the next tick");
      }
      this.firstTickDone = true;
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => {});
    return run;
  }

  private async reconcile(): Promise<void> {
    const { policy } = this.opts;
    let now = this.now();
    let state = await loadCaState(this.opts.caStore);
    const caDue = caDecision(state && certificateInfo(state.current.certPem), now, policy);
    if (caDue.renew) {
      const ca = createCa({ keySpec: this.opts.caKeySpec, now, validityMs: policy.caValidityMs });
      const keepOld = state && now < certificateInfo(state.current.certPem).notAfter;
      state = { current: ca, previousCertPem: keepOld ? state!.current.certPem : undefined };
      // Stored before anything is published: a restart continues from this CA.
      await saveCaState(this.opts.caStore, state);
      this.metrics.rotations.inc({ certificate: "ca", reason: caDue.reason });
      this.log.info({ reason: caDue.reason, ca: summary(ca.certPem), keepsPrevious: !!keepOld }, keepOld ? "CA rolled over; both CAs trusted until every leaf is reissued" : "CA issued");
    }
    this.state = state!;
    const caPem = state!.current.certPem;

    for (;;) {
      const bundle = trustBundle([caPem, ...(state!.previousCertPem ? [state!.previousCertPem] : [])]);
      // 1. The bundle first: peers must trust the new CA before anyone presents its leaves.
      await this.publish(CERT_KEYS.ca, caPem, bundle);
      await this.publish(CERT_KEYS.trustBundle, "", bundle, caPem);
      // 2. The Envoy client certificate (with the bundle it verifies the xds-server by).
      const envoyCert = await this.reconcileEnvoySecret(caPem, bundle);
      await this.publish(CERT_KEYS.envoyClient, envoyCert, bundle);
      // 3. Forget expired xds-server leaves; drop the previous CA when no live leaf needs it.
      now = this.now();
      const leaves = [envoyCert];
      for (const key of await this.store.keys(`${CERT_KEYS.xdsServerPrefix}>`)) {
        const rec = (await this.store.get(key))?.value;
        if (!rec) continue;
        if (rec.notAfterUnixMs <= now) await this.store.delete(key);
        else leaves.push(rec.certificateChainPem);
      }
      this.updateExpiryMetrics(leaves, now);
      if (!state!.previousCertPem) return;
      const previous = certificateInfo(state!.previousCertPem);
      const live = leaves.map((pem) => ({ lifetime: certificateInfo(pem), issuedByCurrentCa: issuedBy(pem, caPem) }));
      if (!canDropPreviousCa(previous, live, now)) {
        this.metrics.expiry.set({ certificate: "previous-ca" }, (previous.notAfter - now) / 1000);
        return;
      }
      state = { current: state!.current };
      await saveCaState(this.opts.caStore, state);
      this.state = state;
      this.metrics.expiry.remove({ certificate: "previous-ca" });
      this.log.info({ dropped: { serial: previous.serialHex, fingerprint: previous.fingerprintSha256 } }, "every live leaf is issued by the new CA; previous CA dropped from the trust bundle");
    }
  }

  /** Keeps the Envoy Secret current; returns its certificate. */
  private async reconcileEnvoySecret(caPem: string, bundle: string): Promise<string> {
    const data = await this.opts.envoySink.read();
    const certPem = data?.[ENVOY_SECRET_FILES.cert];
    let info;
    try {
      info = certPem ? certificateInfo(certPem) : undefined;
    } catch {
      info = undefined;
    }
    const decision = leafDecision(info, { issuedByCurrentCa: !!certPem && issuedBy(certPem, caPem), now: this.now(), policy: this.opts.policy });
    if (!decision.renew && data?.[ENVOY_SECRET_FILES.ca] === bundle && data[ENVOY_SECRET_FILES.key]) return certPem!;
    if (!decision.renew) {
      // Same certificate and key, new trust bundle.
      await this.opts.envoySink.write({ ...data, [ENVOY_SECRET_FILES.ca]: bundle });
      this.log.info({ sink: this.opts.envoySink.description }, "Envoy client trust bundle updated");
      return certPem!;
    }
    const leaf = issueLeafWithKey({
      ca: this.state!.current,
      usage: "client",
      commonName: this.opts.envoyCommonName,
      keySpec: this.opts.keySpec,
      now: this.now(),
      validityMs: this.opts.policy.certValidityMs,
    });
    await this.opts.envoySink.write({ [ENVOY_SECRET_FILES.cert]: leaf.certPem, [ENVOY_SECRET_FILES.key]: privateKeyPem(leaf.key), [ENVOY_SECRET_FILES.ca]: bundle });
    this.metrics.rotations.inc({ certificate: CERT_KEYS.envoyClient, reason: decision.reason });
    this.log.info({ reason: decision.reason, certificate: summary(leaf.certPem), sink: this.opts.envoySink.description }, "Envoy client certificate issued");
    return leaf.certPem;
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

  private updateExpiryMetrics(leaves: string[], now: number): void {
    this.metrics.expiry.reset();
    const set = (name: string, pem: string) => this.metrics.expiry.set({ certificate: name }, (certificateInfo(pem).notAfter - now) / 1000);
    set("ca", this.state!.current.certPem);
    set(CERT_KEYS.envoyClient, leaves[0]);
    // xds-server leaves are tracked by their holders too; here: the soonest to expire.
    const soonest = leaves.slice(1).sort((a, b) => certificateInfo(a).notAfter - certificateInfo(b).notAfter)[0];
    if (soonest) set("xds-server", soonest);
  }

  private startSigning(): void {
    this.subscription = this.opts.nc.subscribe(CERT_SIGNING_SUBJECT, {
      callback: (err, msg) => {
        if (err) return;
        void this.exclusive(() => this.answer(msg));
      },
    });
    this.log.info({ subject: CERT_SIGNING_SUBJECT }, "holding the signer lease; answering certificate signing requests");
  }

  private async stopSigning(): Promise<void> {
    const sub = this.subscription;
    this.subscription = undefined;
    if (sub && !this.opts.nc.isClosed()) await sub.drain().catch(() => {});
  }

  private async answer(msg: Msg): Promise<void> {
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
    const bundle = trustBundle([this.state.current.certPem, ...(this.state.previousCertPem ? [this.state.previousCertPem] : [])]);
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
