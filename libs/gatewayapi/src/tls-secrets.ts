// TLS material from Secrets and ConfigMaps, checked the way Envoy will use it: a PEM
// certificate chain that parses, a private key that parses, and a key that belongs to the
// leaf certificate. Parsing uses node:crypto (OpenSSL), which reads RSA, ECDSA and Ed25519
// keys in PKCS#1, SEC1 and PKCS#8 alike.
import { X509Certificate, createPrivateKey } from "node:crypto";
import { LruCache } from "@gatehouse/runtime";
import type { KubeObject } from "./kube-types";

export interface ParsedKeyPair {
  certificateChain: string;
  privateKey: string;
  /** DNS SANs of the leaf, lowercase. */
  dnsNames: string[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The value of a data key: `data` is base64 (as the API server stores it), `stringData` is plain. */
export function secretValue(obj: KubeObject, key: string, base64: boolean): string | undefined {
  const data = obj.data as Record<string, unknown> | undefined;
  const raw = data?.[key];
  if (typeof raw === "string" && raw.length > 0) {
    return base64 ? Buffer.from(raw, "base64").toString("utf8") : raw;
  }
  const stringData = obj.stringData as Record<string, unknown> | undefined;
  const plain = stringData?.[key];
  return typeof plain === "string" && plain.length > 0 ? plain : undefined;
}

// Bounded: a long-running translator sees every rotated certificate, and an unbounded memo
// would keep each old key pair forever.
const cache = new LruCache<string, Parsed<ParsedKeyPair>>(1024);

/** Parses and checks a kubernetes.io/tls Secret. Results are memoised by content. */
export function parseTLSSecret(secret: KubeObject): Parsed<ParsedKeyPair> {
  const name = `${secret.metadata?.namespace ?? ""}/${secret.metadata?.name ?? ""}`;
  if (secret.type !== undefined && secret.type !== "kubernetes.io/tls") {
    return { ok: false, error: `Secret ${name} must be of type kubernetes.io/tls` };
  }
  const crt = secretValue(secret, "tls.crt", true);
  const key = secretValue(secret, "tls.key", true);
  if (!crt || !key) return { ok: false, error: `Secret ${name} must contain tls.crt and tls.key` };
  const memo = `${crt}\u0000${key}`;
  const hit = cache.get(memo);
  if (hit) return hit.ok ? hit : { ok: false, error: `Secret ${name}: ${hit.error}` };
  const result = checkKeyPair(crt, key);
  cache.set(memo, result);
  return result.ok ? result : { ok: false, error: `Secret ${name}: ${result.error}` };
}

function checkKeyPair(crt: string, key: string): Parsed<ParsedKeyPair> {
  const pems = crt.match(PEM_CERT);
  if (!pems || pems.length === 0) return { ok: false, error: "tls.crt holds no PEM certificate" };
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(pems[0]);
    for (const pem of pems.slice(1)) new X509Certificate(pem);
  } catch (err) {
    return { ok: false, error: `tls.crt is not a valid certificate: ${(err as Error).message}` };
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    return { ok: false, error: `tls.key is not a valid private key: ${(err as Error).message}` };
  }
  if (!leaf.checkPrivateKey(privateKey)) {
    return { ok: false, error: "tls.key does not match the certificate in tls.crt" };
  }
  return {
    ok: true,
    value: { certificateChain: pems.join("\n") + "\n", privateKey: key, dnsNames: dnsNames(leaf) },
  };
}

function dnsNames(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (!san) return [];
  return san
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.startsWith("DNS:"))
    .map((s) => s.slice(4).toLowerCase());
}

/** A CA bundle: at least one PEM certificate, every one of them parsing. */
export function parseCABundle(pem: string | undefined): Parsed<string> {
  if (!pem) return { ok: false, error: "no ca.crt data" };
  const pems = pem.match(PEM_CERT);
  if (!pems || pems.length === 0) return { ok: false, error: "ca.crt holds no PEM certificate" };
  try {
    for (const p of pems) new X509Certificate(p);
  } catch (err) {
    return { ok: false, error: `ca.crt is not a valid certificate: ${(err as Error).message}` };
  }
  return { ok: true, value: pems.join("\n") + "\n" };
}

/** The CA bundle of a ConfigMap or Secret: ca.crt, else tls.crt, else the first key holding PEM. */
export function caData(obj: KubeObject, base64: boolean): string | undefined {
  const preferred = secretValue(obj, "ca.crt", base64) ?? secretValue(obj, "tls.crt", base64);
  if (preferred) return preferred;
  const data = { ...((obj.stringData as object) ?? {}), ...((obj.data as object) ?? {}) };
  for (const key of Object.keys(data).sort()) {
    const value = secretValue(obj, key, base64);
    if (value?.includes("-----BEGIN CERTIFICATE-----")) return value;
  }
  return undefined;
}
