// Certificate signing requests (PKCS#10): the xds-server makes one for the key it keeps,
// cert-manager checks it (signature, key type, names against what it allows) and signs a
// certificate for it. Refusals are values with a reason, never exceptions.
import type { KeyObject } from "node:crypto";
import ipaddr from "ipaddr.js";
import forge from "node-forge";
import { issueLeaf, type CertificateAuthority, type CertificateUsage } from "./certificates";
import { derOfPem, forgePki, parseDer, pemOf, placeholderPublicKey, publicKeyFromSpki, signStructure, verifySignedStructure } from "./der";
import { describeKey, keySpecName, publicKeyOf, type KeySpecName } from "./keys";

export interface CsrSubject {
  readonly commonName: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

/** A PEM CSR for the private key's public half, signed with that key. */
export function createCsr(privateKey: KeyObject, subject: CsrSubject): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = placeholderPublicKey();
  csr.setSubject([{ name: "commonName", value: subject.commonName }]);
  const altNames = [
    ...(subject.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(subject.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length) csr.setAttributes([{ name: "extensionRequest", extensions: [{ name: "subjectAltName", altNames }] }]);
  const info = forgePki.getCertificationRequestInfo(csr);
  return pemOf("CERTIFICATE REQUEST", signStructure(info, publicKeyOf(privateKey), privateKey, 2));
}

export interface ParsedCsr {
  readonly publicKey: KeyObject;
  readonly commonName: string;
  readonly dnsNames: string[];
  readonly ipAddresses: string[];
}

export type CsrRejection = { readonly ok: false; readonly reason: "Malformed" | "BadSignature" | "KeyNotAllowed" | "NameNotAllowed"; readonly message: string };

/** Parses a PEM CSR and verifies its self-signature (proof that the requester holds the key). */
export function parseCsr(pem: string): { ok: true; csr: ParsedCsr } | CsrRejection {
  const der = derOfPem(pem, "CERTIFICATE REQUEST");
  if (!der) return { ok: false, reason: "Malformed", message: "no PEM CERTIFICATE REQUEST block" };
  let info: forge.asn1.Asn1[];
  let publicKey: KeyObject;
  try {
    info = (parseDer(der).value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    publicKey = publicKeyFromSpki(info[2]);
  } catch (err) {
    return { ok: false, reason: "Malformed", message: `not a PKCS#10 request: ${(err as Error).message}` };
  }
  let valid = false;
  try {
    valid = verifySignedStructure(der, publicKey);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: "BadSignature", message: "the request's signature does not verify with its own public key" };
  try {
    const subject = forgePki.RDNAttributesAsArray(info[1]);
    const attributes = info[3] ? forgePki.CRIAttributesAsArray(info[3].value as forge.asn1.Asn1[]) : [];
    const san = attributes.find((a) => a.name === "extensionRequest")?.extensions?.find((e) => e.name === "subjectAltName");
    return {
      ok: true,
      csr: {
        publicKey,
        commonName: subject.find((a) => a.name === "commonName")?.value ?? "",
        dnsNames: (san?.altNames ?? []).filter((n) => n.type === 2).map((n) => n.value),
        ipAddresses: (san?.altNames ?? []).filter((n) => n.type === 7 && n.ip).map((n) => canonicalIp(n.ip!)),
      },
    };
  } catch (err) {
    return { ok: false, reason: "Malformed", message: `unreadable subject or attributes: ${(err as Error).message}` };
  }
}

function canonicalIp(ip: string): string {
  return ipaddr.isValid(ip) ? ipaddr.parse(ip).toString() : ip;
}

export interface CsrPolicy {
  /** Common names a request may carry. */
  readonly commonNames: readonly string[];
  /** DNS SANs a request may carry (a request with none gets all of them). */
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** Key types accepted (default: every one the PKI supports). */
  readonly keySpecs?: readonly KeySpecName[];
}

export interface SignCsrRequest {
  readonly csrPem: string;
  readonly ca: CertificateAuthority;
  readonly policy: CsrPolicy;
  readonly usage: CertificateUsage;
  readonly now: number;
  readonly validityMs: number;
  readonly backdateMs?: number;
}

/** Checks a CSR against the policy and signs it: the certificate's names are the checked ones. */
export function signCsr(req: SignCsrRequest): { ok: true; certPem: string; names: CsrSubject } | CsrRejection {
  const parsed = parseCsr(req.csrPem);
  if (!parsed.ok) return parsed;
  const { csr } = parsed;
  const spec = describeKey(csr.publicKey);
  if (!spec || (req.policy.keySpecs && !req.policy.keySpecs.includes(keySpecName(spec)))) {
    const what = spec ? keySpecName(spec) : `${csr.publicKey.asymmetricKeyType} key`;
    return { ok: false, reason: "KeyNotAllowed", message: `${what} is not an allowed key type (${(req.policy.keySpecs ?? ["rsa-2048/3072/4096", "ec-p256/p384"]).join(", ")})` };
  }
  if (!req.policy.commonNames.includes(csr.commonName)) {
    return { ok: false, reason: "NameNotAllowed", message: `common name ${JSON.stringify(csr.commonName)} is not allowed (allowed: ${req.policy.commonNames.join(", ")})` };
  }
  const allowedIps = new Set(req.policy.ipAddresses.map(canonicalIp));
  const allowedDns = new Set(req.policy.dnsNames.map((n) => n.toLowerCase()));
  const badDns = csr.dnsNames.filter((n) => !allowedDns.has(n.toLowerCase()));
  const badIps = csr.ipAddresses.filter((ip) => !allowedIps.has(ip));
  if (badDns.length || badIps.length) {
    return { ok: false, reason: "NameNotAllowed", message: `subject alternative names not allowed: ${[...badDns, ...badIps].join(", ")}` };
  }
  const none = csr.dnsNames.length === 0 && csr.ipAddresses.length === 0;
  const names: CsrSubject = {
    commonName: csr.commonName,
    dnsNames: none ? [...req.policy.dnsNames] : csr.dnsNames,
    ipAddresses: none ? [...req.policy.ipAddresses] : csr.ipAddresses,
  };
  const certPem = issueLeaf({
    ca: req.ca,
    publicKey: csr.publicKey,
    usage: req.usage,
    commonName: names.commonName,
    dnsNames: names.dnsNames,
    ipAddresses: names.ipAddresses,
    now: req.now,
    validityMs: req.validityMs,
    backdateMs: req.backdateMs,
  });
  return { ok: true, certPem, names };
}
