import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueCertificate, makeCa } from "./test-pki";

describe("test PKI", () => {
  it("issues leaves that chain to their CA and carry the asked names and usage", () => {
    const ca = makeCa("test ca");
    const other = makeCa("other ca");
    const leaf = new X509Certificate(issueCertificate(ca, "svc", "server", ["svc.local"]).cert);
    const caCert = new X509Certificate(ca.cert);
    expect(caCert.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.verify(new X509Certificate(other.cert).publicKey)).toBe(false);
    expect(leaf.checkHost("svc.local")).toBe("svc.local");
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(new X509Certificate(issueCertificate(ca, "envoy", "client").cert).keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
  });
});
