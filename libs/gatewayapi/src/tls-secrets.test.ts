import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCABundle, parseTLSSecret } from "./tls-secrets";

const ecCert = readFileSync(new URL("./testdata/ec-cert.pem", import.meta.url), "utf8");
const ecKey = readFileSync(new URL("./testdata/ec-key.pem", import.meta.url), "utf8");
const b64 = (s: string) => Buffer.from(s).toString("base64");
const secret = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Secret",
  type: "kubernetes.io/tls",
  metadata: { namespace: "default", name: "s" },
  data,
  ...extra,
});

describe("parseTLSSecret", () => {
  it("accepts an ECDSA certificate with its key and reports the DNS names", () => {
    const parsed = parseTLSSecret(secret({ "tls.crt": b64(ecCert), "tls.key": b64(ecKey) }));
    expect(parsed.ok && parsed.value.dnsNames).toEqual(["ec.example.com"]);
  });

  it("reads stringData too", () => {
    const parsed = parseTLSSecret({ ...secret({}), stringData: { "tls.crt": ecCert, "tls.key": ecKey } });
    expect(parsed.ok).toBe(true);
  });

  it("rejects a key that belongs to another certificate", () => {
    const other = readFileSync(new URL("./testdata/https-certificates.in.yaml", import.meta.url), "utf8");
    const rsaKey = /name: good[\s\S]*?tls\.key: (\S+)/.exec(other)![1];
    const parsed = parseTLSSecret(secret({ "tls.crt": b64(ecCert), "tls.key": rsaKey }));
    expect(parsed).toEqual({ ok: false, error: "Secret default/s: tls.key does not match the certificate in tls.crt" });
  });

  it("rejects missing data, garbage and the wrong Secret type with a message naming the Secret", () => {
    expect(parseTLSSecret(secret({ "tls.crt": b64(ecCert) }))).toEqual({ ok: false, error: "Secret default/s must contain tls.crt and tls.key" });
    const garbage = parseTLSSecret(secret({ "tls.crt": b64(ecCert), "tls.key": b64("not a key") }));
    expect(!garbage.ok && garbage.error).toMatch(/^Secret default\/s: tls.key is not a valid private key/);
    expect(parseTLSSecret(secret({ "tls.crt": b64(ecCert), "tls.key": b64(ecKey) }, { type: "Opaque" }))).toEqual({
      ok: false,
      error: "Secret default/s must be of type kubernetes.io/tls",
    });
  });
});

describe("parseCABundle", () => {
  it("keeps every certificate of a bundle and rejects text without one", () => {
    const bundle = parseCABundle(`${ecCert}\n${ecCert}`);
    expect(bundle.ok && bundle.value.match(/BEGIN CERTIFICATE/g)!.length).toBe(2);
    expect(parseCABundle("hello").ok).toBe(false);
    expect(parseCABundle(undefined).ok).toBe(false);
  });
});
