// A CA, a server certificate for 127.0.0.1 and a client certificate, written to a
// temporary folder, for the TLS tests of the bus connection.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueCertificate, makeCa } from "@gatehouse/testing";

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
  const ca = makeCa("gatehouse-test-ca");
  const server = issueCertificate(ca, "nats", "server", ["localhost"]);
  const client = issueCertificate(ca, "translator", "client", ["localhost"]);
  const files: TlsFiles = {
    dir,
    ca: join(dir, "ca.pem"),
    serverCert: join(dir, "server.pem"),
    serverKey: join(dir, "server-key.pem"),
    clientCert: join(dir, "client.pem"),
    clientKey: join(dir, "client-key.pem"),
  };
  writeFileSync(files.ca, ca.cert);
  writeFileSync(files.serverCert, server.cert);
  writeFileSync(files.serverKey, server.key);
  writeFileSync(files.clientCert, client.cert);
  writeFileSync(files.clientKey, client.key);
  return files;
}
