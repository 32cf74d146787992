// Issuing certificates: a self-signed CA, the xds-server's serving certificate and the
// Envoy client certificate. node-forge lays out the X.509 structure; keys and signatures
// are node:crypto's (see der.ts), so RSA and EC keys work alike for CA and leaves.
import { randomBytes, X509Certificate, type KeyObject } from "node:crypto";
import forge from "node-forge";
import { derOf, derOfPem, forgePki, keyIdentifier, parseDer, pemOf, placeholderPublicKey, signStructure } from "./der";
import { DEFAULT_KEY_SPEC, generateKeyPair, publicKeyOf, type KeySpec } from "./keys";

const { asn1 } = forge;

/** How far notBefore is set in the past, so peers whose clock runs a little behind accept it. */
export const DEFAULT_BACKDATE_MS = 5 * 60_000;

export type CertificateUsage = "server" | "client";

export interface CertificateAuthority {
  readonly certPem: string;
  /** The CA's private key: stays in cert-manager's key store. */
  readonly key: KeyObject;
}

export interface Validity {
  /** The clock: when the certificate is issued (ms since the epoch). */
  readonly now: number;
  readonly validityMs: number;
  /** notBefore = now - backdateMs (default five minutes, never more than a tenth of the validity). */
  readonly backdateMs?: number;
}

export interface LeafRequest extends Validity {
  readonly ca: CertificateAuthority;
  /** The leaf's public key (the requester keeps the private one). */
  readonly publicKey: KeyObject;
  readonly usage: CertificateUsage;
  readonly commonName: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

const TBS = { serial: 1, issuer: 3, subject: 5, spki: 6, signatureAlgorithm: 2 } as const;

function serialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // positive INTEGER
  bytes[0] |= 0x10; // no leading zero byte to strip
  return bytes.toString("hex");
}

function validityDates(v: Validity, capMs?: number): { notBefore: Date; notAfter: Date } {
  const backdate = Math.min(v.backdateMs ?? DEFAULT_BACKDATE_MS, Math.floor(v.validityMs / 10));
  const notAfter = Math.min(v.now + v.validityMs, capMs ?? Number.POSITIVE_INFINITY);
  // X.509 times have whole seconds; round down so the cap is never exceeded.
  const second = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
  return { notBefore: second(v.now - backdate), notAfter: second(notAfter) };
}

function subjectName(commonName: string): forge.pki.CertificateField[] {
  return [
    { name: "organizationName", value: "Gatehouse" },
    { name: "commonName", value: commonName },
  ];
}

function octets(bytes: Buffer): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString("binary"));
}

function authorityKeyId(issuerKey: KeyObject): object {
  const value = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, keyIdentifier(issuerKey).toString("binary")),
  ]);
  return { name: "authorityKeyIdentifier", value };
}

function build(opts: {
  subjectKey: KeyObject;
  signer: KeyObject;
  commonName: string;
  issuerNameFrom?: string;
  dates: { notBefore: Date; notAfter: Date };
  extensions: object[];
}): string {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = serialHex();
  cert.publicKey = placeholderPublicKey();
  cert.validity.notBefore = opts.dates.notBefore;
  cert.validity.notAfter = opts.dates.notAfter;
  cert.setSubject(subjectName(opts.commonName));
  cert.setIssuer(subjectName(opts.commonName));
  cert.setExtensions([{ name: "subjectKeyIdentifier", value: octets(keyIdentifier(opts.subjectKey)) }, ...opts.extensions]);
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbs = forgePki.getTBSCertificate(cert);
  if (opts.issuerNameFrom) {
    // The issuer name is the CA's subject byte for byte, so chain building matches it exactly.
    const caTbs = (parseDer(derOfPem(opts.issuerNameFrom, "CERTIFICATE")!).value as forge.asn1.Asn1[])[0];
    (tbs.value as forge.asn1.Asn1[])[TBS.issuer] = parseDer(derOf((caTbs.value as forge.asn1.Asn1[])[TBS.subject]));
  }
  return pemOf("CERTIFICATE", signStructure(tbs, opts.subjectKey, opts.signer, TBS.spki, TBS.signatureAlgorithm));
}

export interface CaOptions extends Validity {
  readonly commonName?: string;
  readonly keySpec?: KeySpec;
}

/** A new self-signed CA (key generated here). */
export function createCa(opts: CaOptions): CertificateAuthority {
  const { privateKey, publicKey } = generateKeyPair(opts.keySpec ?? DEFAULT_KEY_SPEC);
  const certPem = build({
    subjectKey: publicKey,
    signer: privateKey,
    commonName: opts.commonName ?? `gatehouse-xds-ca-${new Date(opts.now).toISOString().slice(0, 10)}`,
    dates: validityDates(opts),
    extensions: [
      { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      authorityKeyId(publicKey),
    ],
  });
  return { certPem, key: privateKey };
}

/** A leaf signed by the CA for the given public key; never valid past the CA's notAfter. */
export function issueLeaf(req: LeafRequest): string {
  const caCert = new X509Certificate(req.ca.certPem);
  const altNames = [
    ...(req.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(req.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  return build({
    subjectKey: req.publicKey,
    signer: req.ca.key,
    commonName: req.commonName,
    issuerNameFrom: req.ca.certPem,
    dates: validityDates(req, Date.parse(caCert.validTo)),
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: req.publicKey.asymmetricKeyType === "rsa", critical: true },
      { name: "extKeyUsage", serverAuth: req.usage === "server", clientAuth: req.usage === "client" },
      authorityKeyId(publicKeyOf(req.ca.key)),
      ...(altNames.length ? [{ name: "subjectAltName", altNames }] : []),
    ],
  });
}

export interface IssuedKeyPair {
  readonly certPem: string;
  readonly key: KeyObject;
}

/** A new key and a leaf for it (for certificates whose key cert-manager hands out itself). */
export function issueLeafWithKey(req: Omit<LeafRequest, "publicKey"> & { readonly keySpec?: KeySpec }): IssuedKeyPair {
  const { privateKey, publicKey } = generateKeyPair(req.keySpec ?? DEFAULT_KEY_SPEC);
  return { certPem: issueLeaf({ ...req, publicKey }), key: privateKey };
}
