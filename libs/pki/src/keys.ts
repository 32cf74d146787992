// Key pairs of the PKI. Keys come from node:crypto, not node-forge: forge has no ECDSA at
// all (no EC key generation, no EC keys in certificates or CSRs) and its RSA key
// generation is pure JavaScript (seconds for 4096 bits); node:crypto is OpenSSL.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";

export type KeySpec = { readonly type: "rsa"; readonly bits: 2048 | 3072 | 4096 } | { readonly type: "ec"; readonly curve: "P-256" | "P-384" };

export const DEFAULT_KEY_SPEC: KeySpec = { type: "ec", curve: "P-256" };

/** The spellings accepted in flags: rsa-2048, rsa-3072, rsa-4096, ec-p256, ec-p384. */
export const KEY_SPEC_NAMES = ["rsa-2048", "rsa-3072", "rsa-4096", "ec-p256", "ec-p384"] as const;
export type KeySpecName = (typeof KEY_SPEC_NAMES)[number];

export function keySpecFromName(name: KeySpecName): KeySpec {
  switch (name) {
    case "rsa-2048":
      return { type: "rsa", bits: 2048 };
    case "rsa-3072":
      return { type: "rsa", bits: 3072 };
    case "rsa-4096":
      return { type: "rsa", bits: 4096 };
    case "ec-p256":
      return { type: "ec", curve: "P-256" };
    case "ec-p384":
      return { type: "ec", curve: "P-384" };
  }
}

export function keySpecName(spec: KeySpec): KeySpecName {
  return spec.type === "rsa" ? `rsa-${spec.bits}` : spec.curve === "P-256" ? "ec-p256" : "ec-p384";
}

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function generateKeyPair(spec: KeySpec = DEFAULT_KEY_SPEC): KeyPair {
  if (spec.type === "rsa") return generateKeyPairSync("rsa", { modulusLength: spec.bits, publicExponent: 0x10001 });
  return generateKeyPairSync("ec", { namedCurve: spec.curve === "P-256" ? "prime256v1" : "secp384r1" });
}

/** PKCS#8 PEM of a private key. Never log or publish what this returns. */
export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

export function loadPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** What a key is, to check it against the allowed specs. */
export function describeKey(key: KeyObject): KeySpec | undefined {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === "rsa" && (d?.modulusLength === 2048 || d?.modulusLength === 3072 || d?.modulusLength === 4096)) {
    return { type: "rsa", bits: d.modulusLength };
  }
  if (key.asymmetricKeyType === "ec" && d?.namedCurve === "prime256v1") return { type: "ec", curve: "P-256" };
  if (key.asymmetricKeyType === "ec" && d?.namedCurve === "secp384r1") return { type: "ec", curve: "P-384" };
  return undefined;
}
