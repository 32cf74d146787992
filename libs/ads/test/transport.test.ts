// Transport: dual-stack listening, TLS and mTLS from files, certificates swapped live under
// open streams, maximum connection age, message size limits.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { issueCertificate, makeCa, waitFor, XdsTestClient, type TestCertificate, type XdsClientOptions } from "@gatehouse/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileCertificateSource, transportChannelOptions, type TlsRejection } from "../src/index";
import { cla, cluster, startTestServer, T, type TestServer } from "./fixtures";

const G = "tls/gw";
let dir: string;
let ca1: TestCertificate;
let ca2: TestCertificate;
let clientCa: TestCertificate;
const clients: XdsTestClient[] = [];
const servers: TestServer[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "xds-tls-"));
  ca1 = makeCa("ca one");
  ca2 = makeCa("ca two");
  clientCa = makeCa("client ca");
});
afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeFiles(name: string, leaf: TestCertificate, ca?: TestCertificate) {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  writeFileSync(certFile, leaf.cert);
  writeFileSync(keyFile, leaf.key);
  let caFile: string | undefined;
  if (ca) writeFileSync((caFile = path.join(dir, `${name}-ca.crt`)), ca.cert);
  return { certFile, keyFile, caFile };
}

async function serve(transport: Parameters<typeof startTestServer>[1] = {}) {
  const s = await startTestServer(undefined, transport);
  s.cache.setGroupResources(G, T.cluster, [cluster("c1")]);
  servers.push(s);
  return s;
}

function client(s: TestServer, id: string, opts: XdsClientOptions = {}, address = s.address): XdsTestClient {
  const c = XdsTestClient.connect(address, { id, cluster: G }, { protocol: "delta", ...opts });
  clients.push(c);
  c.subscribe(T.cluster);
  return c;
}

const gotClusters = (c: XdsTestClient) => c.waitFor((x) => x.of(T.cluster).has("c1"), 5_000, "clusters");
const refused = (c: XdsTestClient) => c.waitFor((x) => !x.connected && x.lastStreamError !== undefined, 10_000, "refusal");

describe("transport", () => {
  it("listens on :: (dual stack) and accepts IPv4 and IPv6 loopback", async () => {
    const s = await serve();
    expect(["::", "0.0.0.0"]).toContain(s.transport.host);
    await gotClusters(client(s, "v4", {}, `127.0.0.1:${s.transport.port}`));
    if (s.transport.host === "::") await gotClusters(client(s, "v6", {}, `[::1]:${s.transport.port}`));
  });

  it("serves TLS from files and swaps the certificate live without closing streams", async () => {
    const files = writeFiles("server", issueCertificate(ca1, "xds", "server", ["localhost"]));
    const source = new FileCertificateSource(files);
    const s = await serve({ tls: { source, requireClientCertificate: false } });
    const live = client(s, "live", { tls: { ca: ca1.cert } });
    await gotClusters(live);
    await refused(client(s, "wrong-ca", { tls: { ca: ca2.cert } }));

    // New certificate from another CA, written to the same files and reloaded.
    writeFiles("server", issueCertificate(ca2, "xds", "server", ["localhost"]));
    source.reload();
    await gotClusters(client(s, "new-ca", { tls: { ca: ca2.cert } }));
    await refused(client(s, "old-ca", { tls: { ca: ca1.cert } }));
    // The stream opened before the swap is still the same one and still served.
    s.cache.updateResources(G, T.cluster, [cluster("c2")]);
    await live.waitFor((x) => x.of(T.cluster).has("c2"));
    expect([live.connected, live.stats.streamsOpened]).toEqual([true, 1]);
  });

  it("requires a client certificate chained to the CA bundle with mTLS", async () => {
    const files = writeFiles("mtls", issueCertificate(ca1, "xds", "server", ["localhost"]), clientCa);
    const s = await serve({ tls: { source: new FileCertificateSource(files), requireClientCertificate: true } });
    const envoyCert = issueCertificate(clientCa, "envoy", "client");
    await gotClusters(client(s, "with-cert", { tls: { ca: ca1.cert, cert: envoyCert.cert, key: envoyCert.key } }));
    await refused(client(s, "no-cert", { tls: { ca: ca1.cert } }));
    const stranger = issueCertificate(ca2, "stranger", "client");
    await refused(client(s, "foreign-cert", { tls: { ca: ca1.cert, cert: stranger.cert, key: stranger.key } }));
  });

  it("reports every refused handshake with its reason (TLS terminated in front of grpc-js)", async () => {
    const files = writeFiles("reasons", issueCertificate(ca1, "xds", "server", ["localhost"]), clientCa);
    const s = await serve({ tls: { source: new FileCertificateSource(files), requireClientCertificate: true } });
    const seen: TlsRejection[] = [];
    s.transport.onTlsRejection((r) => seen.push(r));
    const HOUR = 3600_000;
    const expired = issueCertificate(clientCa, "envoy", "client", [], { at: Date.now() - 3 * HOUR, validityMs: HOUR });
    const early = issueCertificate(clientCa, "envoy", "client", [], { at: Date.now() + 3 * HOUR, validityMs: HOUR });
    const stranger = issueCertificate(ca2, "stranger", "client");
    await refused(client(s, "expired", { tls: { ca: ca1.cert, cert: expired.cert, key: expired.key } }));
    await refused(client(s, "early", { tls: { ca: ca1.cert, cert: early.cert, key: early.key } }));
    await refused(client(s, "stranger", { tls: { ca: ca1.cert, cert: stranger.cert, key: stranger.key } }));
    await refused(client(s, "none", { tls: { ca: ca1.cert } }));
    await waitFor("four rejections", () => new Set(seen.map((r) => r.reason)).size >= 4);
    expect([...new Set(seen.map((r) => r.reason))].sort()).toEqual(["expired", "no-certificate", "not-yet-valid", "unknown-ca"]);
    expect(seen.find((r) => r.reason === "expired")).toMatchObject({ verification: "CERT_HAS_EXPIRED", remote: expect.stringMatching(/:\d+$/) });
    // A good client still gets through, and its stream is a TLS one to grpc-js too.
    const good = issueCertificate(clientCa, "envoy", "client");
    await gotClusters(client(s, "good", { tls: { ca: ca1.cert, cert: good.cert, key: good.key } }));
  });

  it("closes connections past their maximum age, and proxies reconnect and resume", async () => {
    const s = await serve({ maxConnectionAgeMs: 300, maxConnectionAgeGraceMs: 100 });
    const c = client(s, "aged", { autoReconnect: true });
    await gotClusters(c);
    await c.waitFor((x) => x.stats.streamsOpened >= 2 && x.connected, 10_000, "a reconnect");
    s.cache.updateResources(G, T.cluster, [cluster("after-reconnect")]);
    await c.waitFor((x) => x.of(T.cluster).has("after-reconnect"));
  });

  it("enforces message size limits", async () => {
    const s = await serve({ maxReceiveMessageBytes: 1024, maxSendMessageBytes: 4096 });
    const big = client(s, "big-request", {}, s.address);
    big.subscribe(T.endpoint, Array.from({ length: 100 }, (_, i) => `a-rather-long-cluster-name-${i}`));
    await refused(big);
    expect(big.lastStreamError?.code).toBe(8); // RESOURCE_EXHAUSTED

    s.cache.setGroupResources("tls/huge", T.endpoint, [cla("huge", Array.from({ length: 300 }, (_, i) => [`10.0.${i >> 8}.${i & 255}`, 80]))]);
    const c = XdsTestClient.connect(s.address, { id: "big-response", cluster: "tls/huge" }, { protocol: "delta" });
    clients.push(c);
    c.subscribe(T.endpoint, ["huge"]);
    await refused(c);
    expect(c.lastStreamError?.code).toBe(8);
  });

  it("maps keepalive, connection age and size options to grpc-js channel options", () => {
    expect(transportChannelOptions({ port: 0, keepaliveTimeMs: 1000, maxConnectionAgeMs: 5000, maxReceiveMessageBytes: 10 })).toMatchObject({
      "grpc.keepalive_time_ms": 1000,
      "grpc.max_connection_age_ms": 5000,
      "grpc.max_receive_message_length": 10,
    });
  });
});
