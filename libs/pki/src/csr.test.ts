import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCa } from "./certificates";
import { createCsr, parseCsr, signCsr, type CsrPolicy } from "./csr";
import { issuedBy } from "./inspect";
import { generateKeyPair, type KeySpec } from "./keys";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const HOUR = 3600_000;
const POLICY: CsrPolicy = { commonNames: ["xds-server"], dnsNames: ["gatehouse-xds.gatehouse.svc", "localhost"], ipAddresses: ["127.0.0.1", "::1"] };

describe("CSR signing", () => {
  const ca = createCa({ now: NOW, validityMs: 720 * HOUR });

  for (const spec of [{ type: "ec", curve: "P-256" }, { type: "rsa", bits: 2048 }] as KeySpec[]) {
    it(`signs a ${spec.type} request for allowed names with the requester's own key`, () => {
      const { privateKey, publicKey } = generateKeyPair(spec);
      const csrPem = createCsr(privateKey, { commonName: "xds-server", dnsNames: ["localhost"], ipAddresses: ["::1"] });
      const parsed = parseCsr(csrPem);
      expect(parsed.ok && { cn: parsed.csr.commonName, dns: parsed.csr.dnsNames, ips: parsed.csr.ipAddresses }).toEqual({ cn: "xds-server", dns: ["localhost"], ips: ["::1"] });
      const signed = signCsr({ csrPem, ca, policy: POLICY, usage: "server", now: NOW, validityMs: 48 * HOUR });
      if (!signed.ok) throw new Error(signed.message);
      const cert = new X509Certificate(signed.certPem);
      expect(cert.publicKey.equals(publicKey)).toBe(true);
      expect(issuedBy(signed.certPem, ca.certPem)).toBe(true);
      expect(cert.checkHost("localhost")).toBe("localhost");
      expect(cert.checkHost("gatehouse-xds.gatehouse.svc")).toBeUndefined();
      expect(cert.checkIP("::1")).toBe("::1");
    });
  }

  it("gives a request without names every allowed name", () => {
    const { privateKey } = generateKeyPair();
    const signed = signCsr({ csrPem: createCsr(privateKey, { commonName: "xds-server" }), ca, policy: POLICY, usage: "server", now: NOW, validityMs: HOUR });
    expect(signed.ok && signed.names).toEqual({ commonName: "xds-server", dnsNames: POLICY.dnsNames, ipAddresses: POLICY.ipAddresses });
  });

  it("refuses names, common names and key types the policy does not allow", () => {
    const { privateKey } = generateKeyPair();
    const sign = (csrPem: string, policy = POLICY) => signCsr({ csrPem, ca, policy, usage: "server", now: NOW, validityMs: HOUR });
    expect(sign(createCsr(privateKey, { commonName: "xds-server", dnsNames: ["evil.example.com"] }))).toMatchObject({ ok: false, reason: "NameNotAllowed", message: expect.stringContaining("evil.example.com") });
    expect(sign(createCsr(privateKey, { commonName: "xds-server", ipAddresses: ["10.9.9.9"] }))).toMatchObject({ ok: false, reason: "NameNotAllowed" });
    expect(sign(createCsr(privateKey, { commonName: "envoy" }))).toMatchObject({ ok: false, reason: "NameNotAllowed", message: expect.stringContaining('"envoy"') });
    expect(sign(createCsr(privateKey, { commonName: "xds-server" }), { ...POLICY, keySpecs: ["rsa-3072"] })).toMatchObject({ ok: false, reason: "KeyNotAllowed" });
  });

  it("refuses a request whose signature does not match its key, and garbage", () => {
    const { privateKey } = generateKeyPair();
    const pem = createCsr(privateKey, { commonName: "xds-server" });
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der[der.length - 5] ^= 0xff; // inside the signature
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(parseCsr(tampered)).toMatchObject({ ok: false, reason: "BadSignature" });
    expect(parseCsr("hello")).toMatchObject({ ok: false, reason: "Malformed" });
    expect(parseCsr("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")).toMatchObject({ ok: false, reason: "Malformed" });
  });
});
