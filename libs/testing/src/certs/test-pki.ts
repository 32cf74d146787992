// Real X.509 certificates for the TLS tests (ADS, NATS), issued by libs/pki: by default
// RSA 2048 keys, valid from a minute ago for a day; `at` and `validityMs` make expired or
// not-yet-valid ones.
import { createCa, issueLeafWithKey, privateKeyPem, type CertificateAuthority } from "@gatehouse/pki";

export interface TestCertificate {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** The issuing material (for a CA: itself). */
  readonly authority: CertificateAuthority;
}

export interface TestValidity {
  /** Issue as if the clock said this (ms since the epoch; default now). */
  readonly at?: number;
  /** Default one day. */
  readonly validityMs?: number;
}

const DAY_MS = 24 * 3600_000;
const RSA = { type: "rsa", bits: 2048 } as const;

function validity(v: TestValidity) {
  return { now: v.at ?? Date.now(), validityMs: v.validityMs ?? DAY_MS, backdateMs: 60_000 };
}

/** A self-signed CA. */
export function makeCa(cn: string, v: TestValidity = {}): TestCertificate {
  const ca = createCa({ commonName: cn, keySpec: RSA, ...validity(v) });
  return { cert: Buffer.from(ca.certPem), key: Buffer.from(privateKeyPem(ca.key)), authority: ca };
}

/** A leaf certificate signed by `ca`; with DNS names, its SANs are those and 127.0.0.1. */
export function issueCertificate(ca: TestCertificate, cn: string, usage: "server" | "client", dnsNames: string[] = [], v: TestValidity = {}): TestCertificate {
  const leaf = issueLeafWithKey({
    ca: ca.authority,
    usage,
    commonName: cn,
    dnsNames,
    ipAddresses: dnsNames.length ? ["127.0.0.1"] : [],
    keySpec: RSA,
    ...validity(v),
  });
  return { cert: Buffer.from(leaf.certPem), key: Buffer.from(privateKeyPem(leaf.key)), authority: { certPem: leaf.certPem, key: leaf.key } };
}
