// Reading certificates back (node:crypto's X509Certificate: it parses RSA and EC alike):
// lifetimes, identity, and whether a CA issued a certificate.
import { X509Certificate } from "node:crypto";

export interface CertificateInfo {
  readonly notBefore: number;
  readonly notAfter: number;
  readonly serialHex: string;
  /** sha256 of the DER, lowercase hex without colons. */
  readonly fingerprintSha256: string;
  readonly subject: string;
  readonly isCa: boolean;
}

export function certificateInfo(pem: string): CertificateInfo {
  const c = new X509Certificate(pem);
  return {
    notBefore: Date.parse(c.validFrom),
    notAfter: Date.parse(c.validTo),
    serialHex: c.serialNumber.toLowerCase(),
    fingerprintSha256: c.fingerprint256.replace(/:/g, "").toLowerCase(),
    subject: c.subject,
    isCa: c.ca,
  };
}

/** Whether `caPem` issued `certPem` (names match and the signature verifies). */
export function issuedBy(certPem: string, caPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** The certificates of a PEM bundle, each as its own PEM block. */
export function splitPemBundle(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g)?.map((b) => (b.endsWith("\n") ? b : `${b}\n`)) ?? [];
}

/** The trust bundle: the given CAs concatenated, in order. */
export function trustBundle(caPems: readonly string[]): string {
  return caPems.map((p) => (p.endsWith("\n") ? p : `${p}\n`)).join("");
}
