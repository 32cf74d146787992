// The ASN.1 glue between node-forge and node:crypto. node-forge builds the X.509 and
// PKCS#10 structures (names, validity, extensions, DER), but it only knows RSA keys; so
// the SubjectPublicKeyInfo is taken verbatim from node:crypto (RSA or EC alike) and the
// signature is made with node:crypto over the DER forge produced.
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import forge from "node-forge";

const { asn1 } = forge;

const OID = {
  sha256WithRSA: "1.2.840.113549.1.1.11",
  sha384WithRSA: "1.2.840.113549.1.1.12",
  ecdsaSha256: "1.2.840.10045.4.3.2",
  ecdsaSha384: "1.2.840.10045.4.3.3",
} as const;

const HASH_OF_OID: Record<string, "sha256" | "sha384"> = {
  [OID.sha256WithRSA]: "sha256",
  [OID.sha384WithRSA]: "sha384",
  [OID.ecdsaSha256]: "sha256",
  [OID.ecdsaSha384]: "sha384",
};

/** The signature algorithm a key signs with: SHA-384 for P-384, SHA-256 otherwise. */
function signatureOid(signer: KeyObject): string {
  if (signer.asymmetricKeyType === "rsa") return OID.sha256WithRSA;
  if (signer.asymmetricKeyType === "ec") return signer.asymmetricKeyDetails?.namedCurve === "secp384r1" ? OID.ecdsaSha384 : OID.ecdsaSha256;
  throw new Error(`unsupported signing key type ${signer.asymmetricKeyType}`);
}

function algorithmIdentifier(oid: string): forge.asn1.Asn1 {
  const parts = [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())];
  // RSA signature algorithms carry an explicit NULL parameter; ECDSA ones carry none (RFC 5758).
  if (oid === OID.sha256WithRSA || oid === OID.sha384WithRSA) parts.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ""));
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, parts);
}

const toBinary = (b: Buffer) => b.toString("binary");
const fromBinary = (s: string) => Buffer.from(s, "binary");

/** DER of an ASN.1 node. */
export function derOf(node: forge.asn1.Asn1): Buffer {
  return fromBinary(asn1.toDer(node).getBytes());
}

/** Parses DER without reinterpreting BIT STRING contents, so re-encoding gives the same bytes. */
export function parseDer(der: Buffer): forge.asn1.Asn1 {
  return asn1.fromDer(forge.util.createBuffer(toBinary(der)), { strict: true, decodeBitStrings: false } as never);
}

/** The SubjectPublicKeyInfo of a key as a forge ASN.1 node. */
function spkiNode(publicKey: KeyObject): forge.asn1.Asn1 {
  return parseDer(publicKey.export({ type: "spki", format: "der" }));
}

/** RFC 5280 method 1 key identifier: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = spkiNode(publicKey);
  const bits = (spki.value as forge.asn1.Asn1[])[1].value as string;
  // The first content byte of a BIT STRING counts unused bits; the key is what follows.
  return createHash("sha1").update(fromBinary(bits).subarray(1)).digest();
}

/** A forge RSA key that only fills the public key slot until the real SPKI replaces it. */
export function placeholderPublicKey(): forge.pki.PublicKey {
  const one = new forge.jsbn.BigInteger("1", 10);
  return forge.pki.setRsaPublicKey(one, new forge.jsbn.BigInteger("65537", 10));
}

/**
 * Signs a to-be-signed structure (TBSCertificate or CertificationRequestInfo) whose
 * public key slot (index `spkiIndex`) is replaced by the real key and, for certificates,
 * whose signature algorithm slot (`algIndex`) is set to the signer's. Returns the DER of
 * the signed SEQUENCE { tbs, algorithm, signature }.
 */
export function signStructure(tbs: forge.asn1.Asn1, subjectKey: KeyObject, signer: KeyObject, spkiIndex: number, algIndex?: number): Buffer {
  const oid = signatureOid(signer);
  const fields = tbs.value as forge.asn1.Asn1[];
  fields[spkiIndex] = spkiNode(subjectKey);
  if (algIndex !== undefined) fields[algIndex] = algorithmIdentifier(oid);
  const tbsDer = derOf(tbs);
  // node:crypto signs RSA keys with PKCS#1 v1.5 and EC keys with DER-encoded ECDSA: X.509's forms.
  const signature = sign(HASH_OF_OID[oid], tbsDer, signer);
  const signed = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    parseDer(tbsDer),
    algorithmIdentifier(oid),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, "\x00" + toBinary(signature)),
  ]);
  return derOf(signed);
}

/** Verifies a signed SEQUENCE { tbs, algorithm, signature } against a public key. */
export function verifySignedStructure(der: Buffer, publicKey: KeyObject): boolean {
  const [tbs, alg, sig] = parseDer(der).value as forge.asn1.Asn1[];
  const oid = asn1.derToOid(forge.util.createBuffer((alg.value as forge.asn1.Asn1[])[0].value as string));
  const hash = HASH_OF_OID[oid];
  if (!hash) return false;
  const bits = fromBinary(sig.value as string);
  if (bits[0] !== 0) return false;
  return verify(hash, derOf(tbs), publicKey, bits.subarray(1));
}

/** The public key in a SubjectPublicKeyInfo node. */
export function publicKeyFromSpki(node: forge.asn1.Asn1): KeyObject {
  return createPublicKey({ key: derOf(node), format: "der", type: "spki" });
}

export function pemOf(label: "CERTIFICATE" | "CERTIFICATE REQUEST", der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** The DER of the first PEM block with this label, or undefined. */
export function derOfPem(pem: string, label: "CERTIFICATE" | "CERTIFICATE REQUEST"): Buffer | undefined {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  return m ? Buffer.from(m[1].replace(/\s+/g, ""), "base64") : undefined;
}

/** node-forge functions its x509.js exports but @types/node-forge does not declare. */
export const forgePki = forge.pki as typeof forge.pki & {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(csr: ReturnType<typeof forge.pki.createCertificationRequest>): forge.asn1.Asn1;
  RDNAttributesAsArray(rdn: forge.asn1.Asn1): { name?: string; value: string }[];
  CRIAttributesAsArray(attributes: forge.asn1.Asn1[]): {
    name?: string;
    extensions?: { name: string; altNames?: { type: number; value: string; ip?: string }[] }[];
  }[];
};
