// The CA as cert-manager persists it in its SecretSink: the current (signing) CA's
// certificate and key; during a rollover first the next CA (certificate, key, and when the
// trust bundle holding it went out), then the previous CA's certificate (its key is not
// kept: nothing is signed with it any more, it only stays trusted). Saved before anything
// is published, so a cert-manager killed mid-rotation restarts from the state it acted on,
// including in the middle of the propagation delay.
import { certificateInfo, loadPrivateKey, privateKeyPem, type CertificateAuthority } from "@gatehouse/pki";
import type { SecretSink } from "./secret-sink";

export interface NextCa {
  readonly ca: CertificateAuthority;
  /** When the trust bundle holding it reached the bus and the Envoy Secrets (ms). */
  readonly trustedSince?: number;
}

export interface CaState {
  readonly current: CertificateAuthority;
  /** The CA rolling in: trusted, not yet signing. */
  readonly next?: NextCa;
  /** The CA being rolled out of the trust bundle. */
  readonly previousCertPem?: string;
}

const FILES = {
  cert: "ca.crt",
  key: "ca.key",
  previous: "previous-ca.crt",
  nextCert: "next-ca.crt",
  nextKey: "next-ca.key",
  nextTrustedSince: "next-ca-trusted-since",
} as const;

export async function loadCaState(sink: SecretSink): Promise<CaState | undefined> {
  const data = await sink.read();
  if (!data?.[FILES.cert] || !data[FILES.key]) return undefined;
  // Parse now: a damaged store is an error to report, not something to overwrite silently.
  certificateInfo(data[FILES.cert]);
  let next: NextCa | undefined;
  if (data[FILES.nextCert] && data[FILES.nextKey]) {
    certificateInfo(data[FILES.nextCert]);
    const since = data[FILES.nextTrustedSince] ? Date.parse(data[FILES.nextTrustedSince]) : undefined;
    if (since !== undefined && Number.isNaN(since)) throw new Error(`${FILES.nextTrustedSince} is not a date: ${JSON.stringify(data[FILES.nextTrustedSince])}`);
    next = { ca: { certPem: data[FILES.nextCert], key: loadPrivateKey(data[FILES.nextKey]) }, trustedSince: since };
  }
  return {
    current: { certPem: data[FILES.cert], key: loadPrivateKey(data[FILES.key]) },
    next,
    previousCertPem: data[FILES.previous] || undefined,
  };
}

export async function saveCaState(sink: SecretSink, state: CaState): Promise<void> {
  await sink.write({
    [FILES.cert]: state.current.certPem,
    [FILES.key]: privateKeyPem(state.current.key),
    ...(state.next ? { [FILES.nextCert]: state.next.ca.certPem, [FILES.nextKey]: privateKeyPem(state.next.ca.key) } : {}),
    ...(state.next?.trustedSince !== undefined ? { [FILES.nextTrustedSince]: new Date(state.next.trustedSince).toISOString() } : {}),
    ...(state.previousCertPem ? { [FILES.previous]: state.previousCertPem } : {}),
  });
}

/** The trust bundle of a state: the signing CA, the one rolling in, the one rolling out. */
export function trustedCas(state: CaState): string[] {
  return [state.current.certPem, ...(state.next ? [state.next.ca.certPem] : []), ...(state.previousCertPem ? [state.previousCertPem] : [])];
}
