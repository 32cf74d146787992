import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { BucketStore, CERT_SIGNING_SUBJECT, certificateSigningRequestCodec, certificateSigningResponseCodec, ensureBus, type CertificateSigningResponse } from "@gatehouse/bus";
import { caRolloverAt, certificateInfo, leafDecision, leafRenewAt, createCsr, generateKeyPair, issuedBy, splitPemBundle, type LifetimePolicy } from "@gatehouse/pki";
import { startNatsServer, waitFor, type NatsServerHandle } from "@gatehouse/testing";
import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FileSecretSink, type SecretSink } from "../stores/secret-sink";
import { CertManagerService, type CertManagerOptions } from "./cert-manager-service";

const HOUR = 3600_000;
const POLICY: LifetimePolicy = { caValidityMs: 720 * HOUR, certValidityMs: 48 * HOUR };

describe("cert-manager", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let spy: NatsConnection;
  let busText: string[];
  let logText: string[];
  let dir: string;
  let clock: number;
  const services: CertManagerService[] = [];

  beforeAll(async () => {
    server = await startNatsServer({ forceSpawn: true });
    nc = await connect({ servers: server.url });
    await ensureBus(nc);
    // Every message of every subject, to prove no private key ever crosses the bus.
    spy = await connect({ servers: server.url });
    spy.subscribe(">", { callback: (_e, m) => busText.push(Buffer.from(m.data).toString("latin1") + JSON.stringify(m.headers ?? "")) });
  }, 30_000);

  afterAll(async () => {
    await spy?.close();
    await nc?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    busText = [];
    logText = [];
    clock = Date.parse("2026-06-01T00:00:00Z");
    dir = mkdtempSync(path.join(tmpdir(), "cert-manager-"));
    const kv = await nc.jetstream().views.kv("certs", { bindOnly: true });
    // Keys first, purges after: purging while the key lister runs makes it stop early.
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    for (const k of keys) await kv.purge(k);
  });

  afterEach(async () => {
    for (const s of services.splice(0)) await s.close();
    await spy.flush();
    // No private key on the bus or in a log line, whatever the test did.
    expect(busText.filter((t) => t.includes("PRIVATE KEY"))).toEqual([]);
    expect(logText.filter((t) => t.includes("PRIVATE KEY"))).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  function service(over: Partial<CertManagerOptions> = {}, replica = "a"): CertManagerService {
    const logger = pino({ level: "debug" }, new Writable({ write: (chunk, _enc, cb) => (logText.push(String(chunk)), cb()) }));
    const s = new CertManagerService({
      nc,
      logger,
      caStore: new FileSecretSink(path.join(dir, "ca")),
      envoySink: new FileSecretSink(path.join(dir, "envoy")),
      policy: POLICY,
      caKeySpec: { type: "ec", curve: "P-256" },
      keySpec: { type: "ec", curve: "P-256" },
      serverPolicy: { commonNames: ["xds-server"], dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] },
      envoyCommonName: "gatehouse-envoy",
      checkIntervalMs: 60_000,
      lock: { holder: replica, ttlMs: 1_500 },
      propagationDelayMs: 0,
      now: () => clock,
      ...over,
    });
    services.push(s);
    return s;
  }

  async function certs() {
    const store = await BucketStore.open(nc, "certs");
    const out: Record<string, Awaited<ReturnType<typeof store.get>>> = {};
    for (const k of await store.keys(">")) out[k] = await store.get(k);
    return out;
  }

  async function requestCertificate(requester: string, names = { commonName: "xds-server", dnsNames: ["localhost"] }): Promise<CertificateSigningResponse> {
    const { privateKey } = generateKeyPair();
    const req = certificateSigningRequestCodec().encode({ csrPem: createCsr(privateKey, names), requester });
    const reply = await nc.request(CERT_SIGNING_SUBJECT, req, { timeout: 5_000 });
    return certificateSigningResponseCodec().decode(reply.data);
  }

  it("issues the CA and the Envoy client certificate on first start and publishes certificates only", async () => {
    const s = service();
    await s.start();
    expect(s.ready && s.isLeader).toBe(true);
    const ca = await new FileSecretSink(path.join(dir, "ca")).read();
    expect(Object.keys(ca!).sort()).toEqual(["ca.crt", "ca.key"]);
    const envoy = await new FileSecretSink(path.join(dir, "envoy")).read();
    expect(Object.keys(envoy!).sort()).toEqual(["ca.crt", "tls.crt", "tls.key"]);
    expect(issuedBy(envoy!["tls.crt"], ca!["ca.crt"])).toBe(true);
    expect(envoy!["ca.crt"]).toBe(ca!["ca.crt"]);
    const published = await certs();
    expect(Object.keys(published).sort()).toEqual(["ca", "envoy-client", "trust-bundle"]);
    expect(published["envoy-client"]!.value.certificateChainPem).toBe(envoy!["tls.crt"]);
    expect(published["trust-bundle"]!.value.trustBundlePem).toBe(ca!["ca.crt"]);
    const info = certificateInfo(envoy!["tls.crt"]);
    expect(info.notAfter).toBe(clock + 48 * HOUR);
    expect(info.notBefore).toBeLessThan(clock);
  });

  it("signs an xds-server's request over NATS and refuses names it may not have", async () => {
    await service().start();
    const ok = await requestCertificate("xds-server-0");
    if (!ok.ok) throw new Error(ok.message);
    const caPem = (await certs()).ca!.value.certificateChainPem;
    expect(issuedBy(ok.certificate.certificateChainPem, caPem)).toBe(true);
    expect(ok.certificate.trustBundlePem).toBe(caPem);
    expect((await certs())["xds-server.xds-server-0"]!.value.fingerprintSha256).toBe(ok.certificate.fingerprintSha256);
    expect(await requestCertificate("xds-server-0", { commonName: "xds-server", dnsNames: ["evil.example.com"] })).toMatchObject({ ok: false, reason: "NameNotAllowed" });
    expect(await requestCertificate("xds-server-0", { commonName: "admin", dnsNames: [] })).toMatchObject({ ok: false, reason: "NameNotAllowed" });
  });

  it("renews the Envoy client certificate at two thirds of its life", async () => {
    const s = service();
    await s.start();
    const first = (await certs())["envoy-client"]!.value;
    // Two thirds of its life, counted from its backdated notBefore.
    const due = leafRenewAt({ notBefore: first.notBeforeUnixMs, notAfter: first.notAfterUnixMs }, POLICY);
    expect(due - clock).toBeGreaterThan(31 * HOUR);
    clock = due - 1000;
    await s.tick();
    expect((await certs())["envoy-client"]!.value.fingerprintSha256).toBe(first.fingerprintSha256);
    clock = due;
    await s.tick();
    const second = (await certs())["envoy-client"]!.value;
    expect(second.fingerprintSha256).not.toBe(first.fingerprintSha256);
    expect(second.notAfterUnixMs).toBe(clock + 48 * HOUR);
  });

  it("rolls the CA over: both CAs trusted until every live leaf is reissued, then the old one dropped", async () => {
    const s = service();
    await s.start();
    const oldCa = (await certs()).ca!.value.certificateChainPem;
    const xds = await requestCertificate("xds-server-0");
    expect(xds.ok).toBe(true);
    // Jump to the CA's rollover point, keeping the xds-server's leaf alive (it renews itself).
    clock = caRolloverAt(certificateInfo(oldCa), POLICY);
    expect((await requestCertificate("xds-server-0")).ok).toBe(true);
    await s.tick();
    let c = await certs();
    const newCa = c.ca!.value.certificateChainPem;
    expect(newCa).not.toBe(oldCa);
    expect(splitPemBundle(c["trust-bundle"]!.value.trustBundlePem)).toEqual([newCa, oldCa]);
    expect(issuedBy(c["envoy-client"]!.value.certificateChainPem, newCa)).toBe(true);
    const envoy = await new FileSecretSink(path.join(dir, "envoy")).read();
    expect(splitPemBundle(envoy!["ca.crt"])).toEqual([newCa, oldCa]);
    // The xds-server's leaf is still from the old CA: the old CA stays.
    await s.tick();
    expect(splitPemBundle((await certs())["trust-bundle"]!.value.trustBundlePem)).toHaveLength(2);
    // It asks again (it saw the new CA); its new leaf and the bundle in the reply...
    const renewed = await requestCertificate("xds-server-0");
    expect(renewed.ok && issuedBy(renewed.certificate.certificateChainPem, newCa)).toBe(true);
    await s.tick();
    c = await certs();
    expect(splitPemBundle(c["trust-bundle"]!.value.trustBundlePem)).toEqual([newCa]);
    expect(splitPemBundle((await new FileSecretSink(path.join(dir, "envoy")).read())!["ca.crt"])).toEqual([newCa]);
    expect(Object.keys((await new FileSecretSink(path.join(dir, "ca")).read())!).sort()).toEqual(["ca.crt", "ca.key"]);
  });

  it("waits the propagation delay after publishing the next CA before it signs with it, across a restart", async () => {
    const DELAY = 2 * 60_000;
    const s = service({ propagationDelayMs: DELAY });
    await s.start();
    const oldCa = (await certs()).ca!.value.certificateChainPem;
    clock = caRolloverAt(certificateInfo(oldCa), POLICY);
    await s.tick();
    const published = clock;
    // The next CA is trusted everywhere (bus and Envoy Secret) but signs nothing yet.
    let c = await certs();
    const [, nextCa] = splitPemBundle(c["trust-bundle"]!.value.trustBundlePem);
    expect(splitPemBundle(c["trust-bundle"]!.value.trustBundlePem)).toEqual([oldCa, nextCa]);
    expect(c.ca!.value.certificateChainPem).toBe(oldCa);
    expect(splitPemBundle((await new FileSecretSink(path.join(dir, "envoy")).read())!["ca.crt"])).toEqual([oldCa, nextCa]);
    // The Envoy certificate (expired by this jump) was renewed by the current CA, not the next.
    expect(issuedBy(c["envoy-client"]!.value.certificateChainPem, oldCa)).toBe(true);
    const during = await requestCertificate("xds-server-0");
    expect(during.ok && issuedBy(during.certificate.certificateChainPem, oldCa)).toBe(true);
    expect(during.ok && splitPemBundle(during.certificate.trustBundlePem)).toEqual([oldCa, nextCa]);
    // Killed a minute into the wait: the restarted one resumes the wait from the stored moment.
    clock = published + 60_000;
    await s.close();
    services.splice(services.indexOf(s), 1);
    const restarted = service({ propagationDelayMs: DELAY }, "b");
    await restarted.start();
    expect(restarted.isLeader).toBe(true);
    expect((await certs()).ca!.value.certificateChainPem).toBe(oldCa);
    expect((await new FileSecretSink(path.join(dir, "ca")).read())!["next-ca-trusted-since"]).toBe(new Date(published).toISOString());
    clock = published + DELAY - 1_000;
    await restarted.tick();
    expect((await certs()).ca!.value.certificateChainPem).toBe(oldCa);
    // The delay has passed: the next CA signs, leaves are reissued, both CAs stay trusted.
    clock = published + DELAY;
    await restarted.tick();
    c = await certs();
    expect(c.ca!.value.certificateChainPem).toBe(nextCa);
    expect(splitPemBundle(c["trust-bundle"]!.value.trustBundlePem)).toEqual([nextCa, oldCa]);
    expect(issuedBy(c["envoy-client"]!.value.certificateChainPem, nextCa)).toBe(true);
    const after = await requestCertificate("xds-server-0");
    expect(after.ok && issuedBy(after.certificate.certificateChainPem, nextCa)).toBe(true);
  }, 30_000);

  it("converges after being killed mid-rotation, from its stored state", async () => {
    const s = service();
    await s.start();
    const oldCa = (await certs()).ca!.value.certificateChainPem;
    // The next replica dies right after storing the new CA: its Envoy Secret write fails.
    await s.close();
    clock = caRolloverAt(certificateInfo(oldCa), POLICY);
    const envoySink = new FileSecretSink(path.join(dir, "envoy"));
    const dying: SecretSink = { description: "dying", read: () => envoySink.read(), write: () => Promise.reject(new Error("killed")) };
    // Its own connection: killing the process is closing that connection, lease unreleased.
    const ncCrashed = await connect({ servers: server.url });
    const crashed = service({ envoySink: dying, nc: ncCrashed }, "b");
    await crashed.start();
    const stored = await new FileSecretSink(path.join(dir, "ca")).read();
    // It stored the next CA (still not signing: its bundle never reached the Envoy Secret).
    expect(stored!["ca.crt"]).toBe(oldCa);
    expect(stored!["next-ca.crt"]).toBeDefined();
    expect(stored!["next-ca-trusted-since"]).toBeUndefined();
    expect(issuedBy((await envoySink.read())!["tls.crt"], oldCa)).toBe(true);
    // Killed: the connection is gone, the lease not released. The next one waits it out and finishes the job.
    await ncCrashed.close();
    const restarted = service({}, "c");
    await restarted.start();
    expect(restarted.isLeader).toBe(false);
    await waitFor("the dead signer's lease to expire", async () => (await restarted.tick(), restarted.isLeader));
    const newCa = stored!["next-ca.crt"];
    const c = await certs();
    expect(c.ca!.value.certificateChainPem).toBe(newCa);
    expect(issuedBy(c["envoy-client"]!.value.certificateChainPem, newCa)).toBe(true);
    expect(issuedBy((await envoySink.read())!["tls.crt"], newCa)).toBe(true);
    // Every live leaf is from the new CA now: the old one is gone.
    expect(splitPemBundle(c["trust-bundle"]!.value.trustBundlePem)).toEqual([newCa]);
  }, 30_000);

  it("walks consecutive rollovers minute by minute with leaves close to the CA's life: every live leaf chains to a published CA, across restarts", async () => {
    // A rollover every 10 minutes; the slow xds-server's 30-minute leaf spans three CAs.
    const MINUTE = 60_000;
    const DELAY = 2 * MINUTE;
    const policy: LifetimePolicy = { caValidityMs: 40 * MINUTE, certValidityMs: 30 * MINUTE, renewBeforeMs: 5 * MINUTE };
    const caSink = new FileSecretSink(path.join(dir, "ca"));
    const envoySink = new FileSecretSink(path.join(dir, "envoy"));
    let s = service({ policy, propagationDelayMs: DELAY });
    await s.start();
    const start = clock;
    // The Envoy Secret's versions; the pods see the newest one written a full delay ago.
    const secretHistory: { at: number; cert: string; bundle: string[] }[] = [];
    const xds: Record<"prompt" | "slow", string | undefined> = { prompt: undefined, slow: undefined };
    const failures: string[] = [];
    const signingCas = new Set<string>();
    let maxRetired = 0;
    let restarts = 0;
    const restartAt = [47, 75].map((m) => start + m * MINUTE);
    for (let minute = 0; minute <= 100; minute++, clock += MINUTE) {
      const stored = (await caSink.read())!;
      const retiredNow = stored["retired-cas.json"] ? (JSON.parse(stored["retired-cas.json"]) as unknown[]).length : 0;
      if (restartAt.includes(clock) || (restarts === 0 && stored["next-ca-trusted-since"] && retiredNow > 0)) {
        // Killed and restarted: only the stores and the bus survive.
        await s.close();
        services.splice(services.indexOf(s), 1);
        s = service({ policy, propagationDelayMs: DELAY }, `restart-${++restarts}`);
        await s.start();
      }
      await s.tick();
      // The xds-servers ask: the prompt one when the `ca` record names another CA, the slow one only when due.
      const caPem = (await certs()).ca!.value.certificateChainPem;
      signingCas.add(caPem);
      for (const name of ["prompt", "slow"] as const) {
        const held = xds[name];
        const decision = leafDecision(held ? certificateInfo(held) : undefined, { issuedByCurrentCa: name === "slow" || (!!held && issuedBy(held, caPem)), now: clock, policy });
        if (!decision.renew) continue;
        const reply = await requestCertificate(`xds-${name}`);
        if (!reply.ok) throw new Error(reply.message);
        xds[name] = reply.certificate.certificateChainPem;
      }
      await s.tick();
      const envoy = (await envoySink.read())!;
      const last = secretHistory[secretHistory.length - 1];
      const bundle = splitPemBundle(envoy["ca.crt"]);
      if (!last || last.cert !== envoy["tls.crt"] || last.bundle.join() !== bundle.join()) secretHistory.push({ at: clock, cert: envoy["tls.crt"], bundle });
      const pods = [...secretHistory].reverse().find((w) => w.at <= clock - DELAY) ?? secretHistory[0]!;
      const busBundle = splitPemBundle((await certs())["trust-bundle"]!.value.trustBundlePem);
      const at = `minute ${minute}`;
      const valid = (pem: string) => certificateInfo(pem).notBefore <= clock && clock < certificateInfo(pem).notAfter;
      if (busBundle.join() !== bundle.join()) failures.push(`${at}: the Envoy Secret's bundle differs from the bus`);
      // The xds-server verifies the pods' client certificate with the bundle on the bus...
      if (!valid(pods.cert) || !busBundle.some((ca) => issuedBy(pods.cert, ca))) failures.push(`${at}: the pods' Envoy certificate does not verify against the bus bundle`);
      // ...and Envoy the xds-servers' certificates with the (late) bundle of its Secret.
      for (const [name, pem] of Object.entries(xds)) {
        if (!valid(pem!) || !pods.bundle.some((ca) => issuedBy(pem!, ca))) failures.push(`${at}: the ${name} xds-server's certificate does not verify against the pods' bundle`);
      }
      for (const ca of busBundle) if (certificateInfo(ca).notAfter <= clock) failures.push(`${at}: an expired CA is still in the bundle`);
      const after = (await caSink.read())!;
      maxRetired = Math.max(maxRetired, after["retired-cas.json"] ? (JSON.parse(after["retired-cas.json"]) as unknown[]).length : 0);
    }
    expect(failures).toEqual([]);
    expect(restarts).toBe(3);
    // About one CA every ten minutes, and the slow leaf kept two retired CAs trusted at once.
    expect(signingCas.size).toBeGreaterThanOrEqual(9);
    expect(maxRetired).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it("lets one replica sign at a time and hands over when it stops", async () => {
    const a = service({}, "a");
    const b = service({}, "b");
    await a.start();
    await b.start();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect((await requestCertificate("xds-server-0")).ok).toBe(true);
    await a.close();
    services.splice(services.indexOf(a), 1);
    await b.tick();
    expect(b.isLeader).toBe(true);
    expect((await requestCertificate("xds-server-1")).ok).toBe(true);
  });
});
