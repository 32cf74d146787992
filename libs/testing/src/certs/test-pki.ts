// Real X.509 certificates for the TLS tests (ADS, NATS): keys from node's crypto (fast),
// certificates built and signed with node-forge, valid from a minute ago for a day.
import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

export interface TestCertificate {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly forgeCert: forge.pki.Certificate;
  readonly forgeKey: forge.pki.rsa.PrivateKey;
}

let serial = 1;

function keyPair(): { pub: forge.pki.rsa.PublicKey; priv: forge.pki.rsa.PrivateKey; pem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return {
    pub: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()) as forge.pki.rsa.PublicKey,
    priv: forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey,
    pem,
  };
}

function build(cn: string, pub: forge.pki.rsa.PublicKey, issuer: { cert?: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }, extensions: object[]) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  cert.serialNumber = (serial++).toString(16).padStart(2, "0");
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: "commonName", value: cn }];
  cert.setSubject(subject);
  cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : subject);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return cert;
}

/** A self-signed CA. */
export function makeCa(cn: string): TestCertificate {
  const k = keyPair();
  const cert = build(cn, k.pub, { key: k.priv }, [
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
  ]);
  return { cert: Buffer.from(forge.pki.certificateToPem(cert)), key: Buffer.from(k.pem), forgeCert: cert, forgeKey: k.priv };
}

/** A leaf certificate signed by `ca`; with DNS names, its SANs are those and 127.0.0.1. */
export function issueCertificate(ca: TestCertificate, cn: string, usage: "server" | "client", dnsNames: string[] = []): TestCertificate {
  const k = keyPair();
  const cert = build(cn, k.pub, { cert: ca.forgeCert, key: ca.forgeKey }, [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: usage === "server", clientAuth: usage === "client" },
    ...(dnsNames.length
      ? [{ name: "subjectAltName", altNames: [...dnsNames.map((value) => ({ type: 2, value })), { type: 7, ip: "127.0.0.1" }] }]
      : []),
  ]);
  return { cert: Buffer.from(forge.pki.certificateToPem(cert)), key: Buffer.from(k.pem), forgeCert: cert, forgeKey: k.priv };
}
