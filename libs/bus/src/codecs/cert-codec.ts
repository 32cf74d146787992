// `certs`: certificates and trust bundles published by cert-manager, and the certificate
// signing request/reply between a requester (the xds-server) and cert-manager. Private keys
// never travel: encode refuses anything that looks like one.
import type { Codec } from "./codec";
import {
  CertificateSchema,
  CertificateSigningRequestSchema,
  CertificateSigningResponseSchema,
  type Certificate,
} from "../gen/gatehouse/bus/v1/certs_pb";
import { DecodeError, EncodeError, ProtoMessage } from "./codec";

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

/** Subject cert-manager answers certificate signing requests on (NATS request/reply). */
export const CERT_SIGNING_SUBJECT = "gatehouse.certs.sign";

export interface CertificateSigningRequest {
  csrPem: string;
  requester: string;
}

export type CertificateSigningResponse =
  | { ok: true; certificate: CertificateRecord }
  | { ok: false; reason: string; message: string };

function refuseKeys(what: string, text: string): void {
  if (/PRIVATE KEY-----/.test(text)) throw new EncodeError(`${what}: private keys must never be published on the bus`);
}

function certificateFields(c: CertificateRecord) {
  refuseKeys(`certificate ${c.name}`, c.certificateChainPem + c.trustBundlePem);
  return { ...c, notBeforeUnixMs: BigInt(c.notBeforeUnixMs), notAfterUnixMs: BigInt(c.notAfterUnixMs) };
}

function certificateRecord(p: Certificate): CertificateRecord {
  return {
    name: p.name,
    certificateChainPem: p.certificateChainPem,
    trustBundlePem: p.trustBundlePem,
    notBeforeUnixMs: Number(p.notBeforeUnixMs),
    notAfterUnixMs: Number(p.notAfterUnixMs),
    serialHex: p.serialHex,
    fingerprintSha256: p.fingerprintSha256,
  };
}

export function certificateCodec(): Codec<CertificateRecord> {
  const msg = new ProtoMessage(CertificateSchema, CERTIFICATE_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode: (c) => msg.encode(certificateFields(c)),
    decode: (bytes) => certificateRecord(msg.decode(bytes)),
  };
}

export function certificateSigningRequestCodec(): Codec<CertificateSigningRequest> {
  const msg = new ProtoMessage(CertificateSigningRequestSchema, CERTIFICATE_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode(r) {
      refuseKeys(`signing request of ${r.requester}`, r.csrPem);
      return msg.encode({ ...r });
    },
    decode(bytes) {
      const p = msg.decode(bytes);
      return { csrPem: p.csrPem, requester: p.requester };
    },
  };
}

export function certificateSigningResponseCodec(): Codec<CertificateSigningResponse> {
  const msg = new ProtoMessage(CertificateSigningResponseSchema, CERTIFICATE_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode(r) {
      if (!r.ok) return msg.encode({ errorReason: r.reason, errorMessage: r.message });
      return msg.encode({ certificate: { ...certificateFields(r.certificate), schemaVersion: CERTIFICATE_SCHEMA_VERSION } });
    },
    decode(bytes) {
      const p = msg.decode(bytes);
      if (p.errorReason) return { ok: false, reason: p.errorReason, message: p.errorMessage };
      if (!p.certificate) throw new DecodeError(`${msg.fullName} without a certificate or an error`);
      return { ok: true, certificate: certificateRecord(p.certificate) };
    },
  };
}
