// `certs`: certificates and trust bundles published by cert-manager. Private keys never
// travel: encode refuses anything that looks like one.
import type { Codec } from "./codec";
import { DecodeError, EncodeError, ProtoMessage, type Plain } from "./codec";

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
  const msg = new ProtoMessage("Certificate", CERTIFICATE_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode(c) {
      refuseKeys(`certificate ${c.name}`, c.certificateChainPem + c.trustBundlePem);
      return msg.encode({ ...c });
    },
    decode: (bytes) => certificateFromPlain(msg.decode(bytes)),
  };
}

function certificateFromPlain(p: Plain): CertificateRecord {
  return {
    name: String(p.name),
    certificateChainPem: String(p.certificateChainPem),
    trustBundlePem: String(p.trustBundlePem),
    notBeforeUnixMs: Number(p.notBeforeUnixMs),
    notAfterUnixMs: Number(p.notAfterUnixMs),
    serialHex: String(p.serialHex),
    fingerprintSha256: String(p.fingerprintSha256),
  };
}

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

export function certificateSigningRequestCodec(): Codec<CertificateSigningRequest> {
  const msg = new ProtoMessage("CertificateSigningRequest", CERTIFICATE_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode(r) {
      refuseKeys(`signing request of ${r.requester}`, r.csrPem);
      return msg.encode({ ...r });
    },
    decode(bytes) {
      const p = msg.decode(bytes);
      return { csrPem: String(p.csrPem), requester: String(p.requester) };
    },
  };
}

export function certificateSigningResponseCodec(): Codec<CertificateSigningResponse> {
  const msg = new ProtoMessage("CertificateSigningResponse", CERTIFICATE_SCHEMA_VERSION);
  const cert = certificateCodec();
  return {
    messageType: msg.fullName,
    encode(r) {
      if (!r.ok) return msg.encode({ errorReason: r.reason, errorMessage: r.message });
      // Goes through the certificate codec's own check, then nests the same fields.
      cert.encode(r.certificate);
      return msg.encode({ certificate: { ...r.certificate, schemaVersion: CERTIFICATE_SCHEMA_VERSION } });
    },
    decode(bytes) {
      const p = msg.decode(bytes);
      if (p.errorReason) return { ok: false, reason: String(p.errorReason), message: String(p.errorMessage) };
      if (!p.certificate) throw new DecodeError(`${msg.fullName} without a certificate or an error`);
      return { ok: true, certificate: certificateFromPlain(p.certificate as Plain) };
    },
  };
}
