import { X509Certificate } from "node:crypto";
import { createServer, connect, type TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import { createCa, DEFAULT_BACKDATE_MS, issueLeaf, issueLeafWithKey } from "./certificates";
import { certificateInfo, issuedBy, splitPemBundle, trustBundle } from "./inspect";
import { generateKeyPair, privateKeyPem, type KeySpec } from "./keys";

const HOUR = 3600_000;
const NOW = Date.parse("2026-06-01T12:00:00Z");

const SPECS: KeySpec[] = [
  { type: "rsa", bits: 2048 },
  { type: "rsa", bits: 3072 },
  { type: "ec", curve: "P-256" },
  { type: "ec", curve: "P-384" },
];

describe("certificates", () => {
  for (const spec of SPECS) {
    it(`issues a CA and a server leaf with ${spec.type === "rsa" ? `RSA ${spec.bits}` : `EC ${spec.curve}`} keys`, () => {
      const ca = createCa({ commonName: "test ca", keySpec: spec, now: NOW, validityMs: 720 * HOUR });
      const caCert = new X509Certificate(ca.certPem);
      expect(caCert.ca).toBe(true);
      expect(caCert.verify(caCert.publicKey)).toBe(true);
      expect(caCert.publicKey.asymmetricKeyType).toBe(spec.type);
      const { publicKey } = generateKeyPair(spec);
      const leafPem = issueLeaf({
        ca,
        publicKey,
        usage: "server",
        commonName: "xds-server",
        dnsNames: ["gatehouse-xds.gatehouse.svc", "localhost"],
        ipAddresses: ["10.0.0.7", "::1"],
        now: NOW,
        validityMs: 48 * HOUR,
      });
      const leaf = new X509Certificate(leafPem);
      expect(leaf.ca).toBe(false);
      expect(issuedBy(leafPem, ca.certPem)).toBe(true);
      expect(leaf.checkHost("gatehouse-xds.gatehouse.svc")).toBe("gatehouse-xds.gatehouse.svc");
      expect(leaf.checkIP("10.0.0.7")).toBe("10.0.0.7");
      expect(leaf.checkIP("::1")).toBe("::1");
      expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
      expect(leaf.publicKey.equals(publicKey)).toBe(true);
    });
  }

  it("backdates notBefore for clock skew and ends the leaf at its validity", () => {
    const ca = createCa({ now: NOW, validityMs: 720 * HOUR });
    const leaf = issueLeafWithKey({ ca, usage: "client", commonName: "envoy", now: NOW, validityMs: 48 * HOUR });
    const info = certificateInfo(leaf.certPem);
    expect(info.notBefore).toBe(NOW - DEFAULT_BACKDATE_MS);
    expect(info.notAfter).toBe(NOW + 48 * HOUR);
    expect(new X509Certificate(leaf.certPem).keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
  });

  it("never lets a leaf outlive its CA", () => {
    const ca = createCa({ now: NOW, validityMs: 720 * HOUR });
    const late = NOW + 700 * HOUR;
    const leaf = issueLeafWithKey({ ca, usage: "server", commonName: "xds-server", now: late, validityMs: 48 * HOUR });
    expect(certificateInfo(leaf.certPem).notAfter).toBe(certificateInfo(ca.certPem).notAfter);
  });

  it("tells apart leaves of different CAs with the same name", () => {
    const a = createCa({ commonName: "same", now: NOW, validityMs: 720 * HOUR });
    const b = createCa({ commonName: "same", now: NOW, validityMs: 720 * HOUR });
    const leaf = issueLeafWithKey({ ca: a, usage: "server", commonName: "x", now: NOW, validityMs: HOUR });
    expect(issuedBy(leaf.certPem, a.certPem)).toBe(true);
    expect(issuedBy(leaf.certPem, b.certPem)).toBe(false);
    expect(splitPemBundle(trustBundle([a.certPem, b.certPem]))).toEqual([a.certPem, b.certPem]);
  });

  it("gives a chain OpenSSL accepts in a real TLS handshake (EC CA, RSA leaf)", async () => {
    const now = Date.now();
    const ca = createCa({ keySpec: { type: "ec", curve: "P-384" }, now, validityMs: HOUR * 2 });
    const server = issueLeafWithKey({ ca, usage: "server", commonName: "s", dnsNames: ["localhost"], keySpec: { type: "rsa", bits: 2048 }, now, validityMs: HOUR });
    const tls = createServer({ cert: server.certPem, key: privateKeyPem(server.key) }, (s) => s.end("ok"));
    await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
    const port = (tls.address() as { port: number }).port;
    try {
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const s: TLSSocket = connect({ port, host: "127.0.0.1", servername: "localhost", ca: ca.certPem }, () => {
          resolve(s.authorized);
          s.destroy();
        });
        s.on("error", reject);
      });
      expect(authorized).toBe(true);
    } finally {
      tls.close();
    }
  });
});
