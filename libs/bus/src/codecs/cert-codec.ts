// `certs`: certificates and trust bundles published by cert-manager. Private keys never
// travel: encode refuses anything that looks like one.
import type { Codec } from "./codec";
import { CertificateSchema } from "../gen/gatehouse/bus/v1/certs_pb";
import { EncodeError, ProtoMessage } from "./codec";

export interface CertificateRecord {
  /** What it is for: "ca", "xds-server", "envoy-client", "trust-bundle", ... */
  name: string;
  /** Leaf first, then intermediates (PEM); "" for a trust bundle. */
  certificateChainPem: string;
  /** Every CA to trust (PEM, concatenated). */
  trustBundlePem: string;
  notBeforeUnixMs: number;
  notAfterUnixMs: number;
  serialHex: string;
  fingerprintSha256: string;
}

export const CERTIFICATE_SCHEMA_VERSION = 1;

export function certificateCodec(): Codec<CertificateRecord> {
  const msg = new ProtoMessage(CertificateSchema, CERTIFICATE_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode(c) {
      if (/PRIVATE KEY-----/.test(c.certificateChainPem + c.trustBundlePem)) {
        throw new EncodeError(`certificate ${c.name}: private keys must never be published on the bus`);
      }
      return msg.encode({ ...c, notBeforeUnixMs: BigInt(c.notBeforeUnixMs), notAfterUnixMs: BigInt(c.notAfterUnixMs) });
    },
    decode(bytes) {
      const p = msg.decode(bytes);
      return {
        name: p.name,
        certificateChainPem: p.certificateChainPem,
        trustBundlePem: p.trustBundlePem,
        notBeforeUnixMs: Number(p.notBeforeUnixMs),
        notAfterUnixMs: Number(p.notAfterUnixMs),
        serialHex: p.serialHex,
        fingerprintSha256: p.fingerprintSha256,
      };
    },
  };
}
