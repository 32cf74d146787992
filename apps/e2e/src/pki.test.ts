// The xDS PKI end to end, as processes: cert-manager issues and rotates with lifetimes of
// seconds, the xds-server (--certs-from-bus) gets its certificate by CSR and serves mTLS,
// and 100 grpc-js Delta streams stand for the proxies, with the certificate files
// cert-manager writes for Envoy. Through renewals, a CA rollover and a kill -9 of
// cert-manager in the middle of it, no stream drops, new handshakes verify against the new
// CA, bad client certificates are refused with a reason, and no private key ever crosses
// the bus or reaches a log.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect as tlsConnect } from "node:tls";
import path from "node:path";
import { BucketStore, ensureBus } from "@gatehouse/bus";
import { issueLeafWithKey, loadPrivateKey, privateKeyPem, splitPemBundle } from "@gatehouse/pki";
import { makeCa, waitFor, XdsTestClient } from "@gatehouse/testing";
import { TYPE_URLS } from "@gatehouse/xds";
import { connect, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pipeline } from "./harness/pipeline";
import { waitUntil } from "./harness/wait";

const STREAMS = 100;
const HOUR = 3600_000;

describe("xDS PKI", () => {
  let p: Pipeline;
  let pkiDir: string;
  let nc: NatsConnection;
  let spy: NatsConnection;
  let certs: BucketStore<"certs">;
  const busMessages: string[] = [];
  const clients: XdsTestClient[] = [];

  beforeAll(async () => {
    pkiDir = mkdtempSync(path.join(tmpdir(), "gatehouse-e2e-pki-"));
    p = await Pipeline.start({
      services: [],
      args: {
        "cert-manager": [
          "--ca-validity", "120s", "--cert-validity", "30s", "--renew-fraction", "0.5", "--check-interval", "250ms", "--lock-ttl", "5s",
          "--ca-dir", path.join(pkiDir, "ca"), "--envoy-client-dir", path.join(pkiDir, "envoy"),
        ],
        "xds-server": ["--certs-from-bus", "--cert-check-interval", "250ms"],
      },
    });
    nc = await connect({ servers: p.nats.url });
    spy = await connect({ servers: p.nats.url });
    spy.subscribe(">", { callback: (_e, m) => busMessages.push(Buffer.from(m.data).toString("latin1")) });
    await ensureBus(nc);
    certs = await BucketStore.open(nc, "certs");
    await p.startService("cert-manager");
    await p.startService("xds-server");
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await spy?.close();
    await nc?.close();
    await p?.close();
    rmSync(pkiDir, { recursive: true, force: true });
  });

  const envoyFiles = () => {
    const read = (f: string) => readFileSync(path.join(pkiDir, "envoy", f));
    return { cert: read("tls.crt"), key: read("tls.key"), ca: read("ca.crt") };
  };

  function proxy(id: string, tls: { ca: Buffer; cert?: Buffer; key?: Buffer }): XdsTestClient {
    const c = XdsTestClient.connect(p.xdsAddress, { id, cluster: "pki/gw" }, { protocol: "delta", tls: { ...tls, serverName: "localhost" } });
    clients.push(c);
    c.subscribe(TYPE_URLS.cluster);
    return c;
  }

  async function metric(service: "xds-server" | "cert-manager", name: string, labels = ""): Promise<number> {
    const text = await p.metrics(service);
    return text
      .split("\n")
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
      .filter((l) => l.includes(labels))
      .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
  }

  const openStreams = () => metric("xds-server", "gatehouse_xds_streams", 'protocol="delta"');
  const refused = (c: XdsTestClient) => c.waitFor((x) => !x.connected && x.lastStreamError !== undefined, 15_000, "refusal");
  /** A bare TLS handshake with the ADS port: does the served certificate verify against `ca`, and which is it. */
  const servedCertificate = (ca: string) =>
    new Promise<{ authorized: boolean; fingerprint: string }>((resolve, reject) => {
      const files = envoyFiles();
      const s = tlsConnect({ host: "127.0.0.1", port: p.xdsPort, servername: "localhost", ca, cert: files.cert, key: files.key, ALPNProtocols: ["h2"] }, () => {
        resolve({ authorized: s.authorized, fingerprint: s.getPeerCertificate().fingerprint256.replace(/:/g, "").toLowerCase() });
        s.destroy();
      });
      s.on("error", reject);
    });
  const bundle = async () => splitPemBundle((await certs.get("trust-bundle"))!.value.trustBundlePem);

  it("rotates certificates and rolls the CA over under 100 open streams, surviving a kill -9 of cert-manager", async () => {
    const firstCa = (await certs.get("ca"))!.value.certificateChainPem;
    const files = envoyFiles();
    for (let i = 0; i < STREAMS; i++) proxy(`envoy-${i}`, files);
    await waitUntil(async () => (await openStreams()) === STREAMS, "100 streams open", 60_000, 100);

    // The CA rolls over 60 s after it was issued (half its life): first the next CA joins
    // the trust bundle (on the bus and in Envoy's files) while the current one still signs...
    await waitUntil(async () => (await bundle()).length === 2, "the next CA in the trust bundle", 120_000, 50);
    const announced = Date.now();
    const [, nextCa] = await bundle();
    expect((await certs.get("ca"))!.value.certificateChainPem).toBe(firstCa);
    // The bus gets the bundle a moment before Envoy's files (same pass): wait for them, not a race.
    await waitUntil(async () => splitPemBundle(envoyFiles().ca.toString()).includes(nextCa!), "the next CA in Envoy's files", 15_000, 50);
    // ...and it signs only after the propagation delay (5 s by default with folders). Kill cert-manager the moment it does.
    let newCa = firstCa;
    await waitUntil(async () => (newCa = (await certs.get("ca"))!.value.certificateChainPem) !== firstCa, "the CA rollover", 120_000, 50);
    expect(newCa).toBe(nextCa);
    expect(Date.now() - announced).toBeGreaterThanOrEqual(4_500);
    await p.kill9("cert-manager");
    await p.startService("cert-manager");
    await waitUntil(async () => { const b = await bundle(); return b.length === 1 && b[0] === newCa; }, "the old CA to leave the trust bundle", 60_000, 100);
    // The serving certificate was obtained, renewed (30 s leaves, renewed at half) and reissued under the new CA.
    expect(await metric("xds-server", "gatehouse_xds_serving_certificate_rotations_total")).toBeGreaterThanOrEqual(3);

    // No stream dropped: the same 100 streams, never reopened, no error.
    expect(clients.filter((c) => !c.connected || c.stats.streamsOpened !== 1 || c.lastStreamError)).toEqual([]);
    expect(await openStreams()).toBe(STREAMS);

    // A new proxy with the files cert-manager wrote now (new CA only) connects...
    const fresh = envoyFiles();
    expect(splitPemBundle(fresh.ca.toString())).toEqual([newCa]);
    proxy("envoy-new", fresh);
    await waitUntil(async () => (await openStreams()) === STREAMS + 1, "a new proxy's stream", 15_000, 100);
    // The certificate new handshakes get is the newest one cert-manager signed for the xds-server.
    const served = await servedCertificate(newCa);
    expect(served.authorized).toBe(true);
    const signed = await Promise.all((await certs.keys("xds-server.>")).map(async (k) => (await certs.get(k))!.value));
    expect(signed.map((r) => r.fingerprintSha256)).toContain(served.fingerprint);
    // ...and one that trusts only the old CA cannot verify the xds-server any more.
    await refused(proxy("envoy-old-ca", { ...fresh, ca: Buffer.from(firstCa) }));
  }, 180_000);

  it("refuses expired, not-yet-valid and foreign client certificates with a reason in the log and the metrics", async () => {
    const ca = { certPem: readFileSync(path.join(pkiDir, "ca", "ca.crt"), "utf8"), key: loadPrivateKey(readFileSync(path.join(pkiDir, "ca", "ca.key"), "utf8")) };
    const files = envoyFiles();
    const client = (at: number, validityMs: number, issuer = ca) => {
      const leaf = issueLeafWithKey({ ca: issuer, usage: "client", commonName: "gatehouse-envoy", now: at, validityMs, backdateMs: 0 });
      return { ca: files.ca, cert: Buffer.from(leaf.certPem), key: Buffer.from(privateKeyPem(leaf.key)) };
    };
    const stranger = makeCa("stranger");
    await refused(proxy("expired", client(Date.now() - 2 * HOUR, HOUR)));
    await refused(proxy("not-yet-valid", client(Date.now() + HOUR, HOUR)));
    await refused(proxy("foreign", client(Date.now(), HOUR, stranger.authority)));
    await refused(proxy("no-certificate", { ca: files.ca }));
    for (const reason of ["expired", "not-yet-valid", "unknown-ca", "no-certificate"]) {
      expect(await metric("xds-server", "gatehouse_xds_tls_handshake_rejections_total", `reason="${reason}"`), reason).toBeGreaterThanOrEqual(1);
      // The metric is counted before the log line reaches the file, and other lines may follow it: wait for it, in a long tail.
      const line = `TLS handshake refused: client certificate ${reason}`;
      await waitFor(`the log line "${line}"`, () => p.logTail("xds-server", 5_000).includes(line), 10_000).catch(() => undefined);
      expect(p.logTail("xds-server", 5_000)).toContain(line);
    }
  });

  it("never put a private key on the bus or in a log line", async () => {
    await spy.flush();
    expect(busMessages.length).toBeGreaterThan(20);
    expect(busMessages.some((m) => m.includes("BEGIN CERTIFICATE REQUEST"))).toBe(true);
    expect(busMessages.filter((m) => m.includes("PRIVATE KEY"))).toEqual([]);
    for (const service of ["cert-manager", "xds-server"] as const) expect(p.logTail(service, 100_000)).not.toContain("PRIVATE KEY");
  });
});
