// The xds-server's TLS material from cert-manager: it makes its own key (which never
// leaves this process), asks for a certificate with a CSR over NATS request/reply, and
// follows the trust bundle and the current CA in the `certs` bucket. The result feeds a
// CertificateSource, whose update() swaps what new handshakes use while open streams stay.
// It asks again when its certificate is due (the renew policy), expired, or issued by a CA
// that is no longer the current one (a rollover).
import { CERT_SIGNING_SUBJECT, certificateSigningRequestCodec, certificateSigningResponseCodec, watchBucket, type BucketWatch, type CertificateRecord } from "@gatehouse/bus";
import { certificateInfo, createCsr, DEFAULT_KEY_SPEC, generateKeyPair, issuedBy, leafDecision, privateKeyPem, type CsrSubject, type KeySpec, type RenewPolicy, type RenewReason } from "@gatehouse/pki";
import { Backoff, counter, gauge } from "@gatehouse/runtime";
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { CertificateSource } from "@gatehouse/ads";

export interface ServingCertificatesOptions {
  readonly nc: NatsConnection;
  readonly logger: Logger;
  /** This replica's name: the key its certificate is published under by cert-manager. */
  readonly requester: string;
  /** What to ask for (cert-manager checks it against what it allows). */
  readonly names: CsrSubject;
  readonly keySpec?: KeySpec;
  readonly renewPolicy?: RenewPolicy;
  /** How often the certificate's renewal point is checked (default 10 s). */
  readonly checkIntervalMs?: number;
  readonly requestTimeoutMs?: number;
  readonly now?: () => number;
}

function metrics() {
  return {
    expiry: gauge({ name: "gatehouse_xds_serving_certificate_expiry_seconds", help: "Seconds until the xds-server's serving certificate expires" }),
    rotations: counter<"reason">({ name: "gatehouse_xds_serving_certificate_rotations_total", help: "Serving certificates obtained from cert-manager, by reason", labelNames: ["reason"] }),
    failures: counter({ name: "gatehouse_xds_serving_certificate_failures_total", help: "Failed certificate requests to cert-manager (retried)" }),
  };
}

export class ServingCertificates {
  private readonly log: Logger;
  private readonly metrics = metrics();
  private readonly now: () => number;
  private watch: BucketWatch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private current: { certPem: string; keyPem: string } | undefined;
  private bundle: string | undefined;
  private caPem: string | undefined;
  private renewing: Promise<void> | undefined;
  private closed = false;
  /** Aborted on close, so a renewal waiting out its back-off stops at once. */
  private readonly closing = new AbortController();
  private src: CertificateSource | undefined;

  constructor(private readonly opts: ServingCertificatesOptions) {
    this.log = opts.logger.child({ component: "serving-certificates" });
    this.now = opts.now ?? Date.now;
  }

  /** The credentials source for the ADS transport (after start). */
  get source(): CertificateSource {
    if (!this.src) throw new Error("serving certificates not started");
    return this.src;
  }

  /** Follows `certs` and waits for the first certificate (retrying until cert-manager answers). */
  async start(): Promise<void> {
    // "*": the one-token keys (ca, trust-bundle, envoy-client); one filter, as nats-server < 2.10 allows.
    this.watch = await watchBucket(this.opts.nc, "certs", { onValue: (key, rec) => this.onRecord(key, rec) }, { filter: "*", logger: this.log });
    await this.watch.replayed;
    await this.renew("missing");
    this.timer = setInterval(() => this.check(), this.opts.checkIntervalMs ?? 10_000);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    if (this.timer) clearInterval(this.timer);
    await this.watch?.stop();
    await this.renewing?.catch(() => {});
  }

  /** Renews when due; also refreshes the expiry metric. */
  check(): void {
    if (!this.current || this.closed) return;
    const info = certificateInfo(this.current.certPem);
    this.metrics.expiry.set((info.notAfter - this.now()) / 1000);
    const d = leafDecision(info, { issuedByCurrentCa: !this.caPem || issuedBy(this.current.certPem, this.caPem), now: this.now(), policy: this.opts.renewPolicy ?? {} });
    if (d.renew) void this.renew(d.reason);
  }

  private onRecord(key: string, rec: CertificateRecord): void {
    if (key === "trust-bundle" && rec.trustBundlePem !== this.bundle) {
      this.bundle = rec.trustBundlePem;
      if (this.current) {
        this.apply();
        this.log.info({ cas: rec.trustBundlePem.match(/BEGIN CERTIFICATE/g)?.length ?? 0 }, "trust bundle updated for new handshakes");
      }
    }
    if (key === "ca") {
      this.caPem = rec.certificateChainPem;
      this.check();
    }
  }

  private apply(): void {
    const material = { cert: Buffer.from(this.current!.certPem), key: Buffer.from(this.current!.keyPem), ca: this.bundle ? Buffer.from(this.bundle) : undefined };
    if (this.src) this.src.update(material);
    else this.src = new CertificateSource(material);
  }

  /** One renewal at a time; retried with back-off until it succeeds or we close. */
  private renew(reason: RenewReason): Promise<void> {
    return (this.renewing ??= this.renewUntilDone(reason).finally(() => (this.renewing = undefined)));
  }

  private async renewUntilDone(reason: RenewReason): Promise<void> {
    const backoff = new Backoff({ initialMs: 100, maxMs: 5_000 });
    while (!this.closed) {
      try {
        await this.requestOnce(reason);
        return;
      } catch (err) {
        this.metrics.failures.inc();
        this.log.warn({ reason, err: (err as Error).message, retryInMs: backoff.peek() }, "certificate request to cert-manager failed; retrying");
        await backoff.wait(this.closing.signal);
      }
    }
  }

  private async requestOnce(reason: RenewReason): Promise<void> {
    // A new key for every certificate: a renewal also rotates the key.
    const { privateKey } = generateKeyPair(this.opts.keySpec ?? DEFAULT_KEY_SPEC);
    const csrPem = createCsr(privateKey, this.opts.names);
    const reply = await this.opts.nc.request(CERT_SIGNING_SUBJECT, certificateSigningRequestCodec().encode({ csrPem, requester: this.opts.requester }), {
      timeout: this.opts.requestTimeoutMs ?? 5_000,
    });
    const response = certificateSigningResponseCodec().decode(reply.data);
    if (!response.ok) throw new Error(`cert-manager refused: ${response.reason}: ${response.message}`);
    const rec = response.certificate;
    this.current = { certPem: rec.certificateChainPem, keyPem: privateKeyPem(privateKey) };
    // The bundle from `certs` is the newest we know; the reply's serves until it arrives.
    this.bundle ??= rec.trustBundlePem;
    this.apply();
    this.metrics.rotations.inc({ reason });
    this.metrics.expiry.set((rec.notAfterUnixMs - this.now()) / 1000);
    this.log.info({ reason, serial: rec.serialHex, fingerprint: rec.fingerprintSha256.slice(0, 16), notAfter: new Date(rec.notAfterUnixMs).toISOString() }, "serving certificate obtained from cert-manager; new handshakes use it");
  }
}
