// A CA, a server certificate for 127.0.0.1 and a client certificate, written to a
// temporary folder, for the TLS tests of the bus connection.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";

interface Pair {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  keyPem: string;
}

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return {
    pub: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()) as forge.pki.rsa.PublicKey,
    priv: forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey,
    keyPem,
  };
}

function issue(cn: string, issuer: Pair | undefined, extensions: object[], serial: string): Pair {
  const k = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = k.pub;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3600_000);
  cert.setSubject([{ name: "commonName", value: cn }]);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : [{ name: "commonName", value: cn }]);
  cert.setExtensions(extensions);
  cert.sign(issuer ? issuer.key : k.priv, forge.md.sha256.create());
  return { cert, key: k.priv, keyPem: k.keyPem };
}

export interface TlsFiles {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export function writeTlsFiles(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-bus-tls-"));
  const ca = issue("gatehouse-test-ca", undefined, [{ name: "basicConstraints", cA: true, critical: true }, { name: "keyUsage", keyCertSign: true, critical: true }], "01");
  const leaf = (usage: "serverAuth" | "clientAuth") => [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", [usage]: true },
    { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }] },
  ];
  const server = issue("nats", ca, leaf("serverAuth"), "02");
  const client = issue("translator", ca, leaf("clientAuth"), "03");
  const files: TlsFiles = {
    dir,
    ca: join(dir, "ca.pem"),
    serverCert: join(dir, "server.pem"),
    serverKey: join(dir, "server-key.pem"),
    clientCert: join(dir, "client.pem"),
    clientKey: join(dir, "client-key.pem"),
  };
  writeFileSync(files.ca, forge.pki.certificateToPem(ca.cert));
  writeFileSync(files.serverCert, forge.pki.certificateToPem(server.cert));
  writeFileSync(files.serverKey, server.keyPem);
  writeFileSync(files.clientCert, forge.pki.certificateToPem(client.cert));
  writeFileSync(files.clientKey, client.keyPem);
  return files;
}
