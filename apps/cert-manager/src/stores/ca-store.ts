// The CA as cert-manager persists it in its SecretSink: the current CA's certificate and
// key, and during a rollover the previous CA's certificate (its key is not kept: nothing
// is signed with it any more, it only stays trusted). Saved before anything is published,
// so a cert-manager killed mid-rotation restarts from the state it acted on.
import { certificateInfo, loadPrivateKey, privateKeyPem, type CertificateAuthority } from "@gatehouse/pki";
import type { SecretSink } from "./secret-sink";

export interface CaState {
  readonly current: CertificateAuthority;
  /** The CA being rolled out of the trust bundle. */
  readonly previousCertPem?: string;
}

const FILES = { cert: "ca.crt", key: "ca.key", previous: "previous-ca.crt" } as const;

export async function loadCaState(sink: SecretSink): Promise<CaState | undefined> {
  const data = await sink.read();
  if (!data?.[FILES.cert] || !data[FILES.key]) return undefined;
  // Parse now: a damaged store is an error to report, not something to overwrite silently.
  certificateInfo(data[FILES.cert]);
  return {
    current: { certPem: data[FILES.cert], key: loadPrivateKey(data[FILES.key]) },
    previousCertPem: data[FILES.previous] || undefined,
  };
}

export async function saveCaState(sink: SecretSink, state: CaState): Promise<void> {
  await sink.write({
    [FILES.cert]: state.current.certPem,
    [FILES.key]: privateKeyPem(state.current.key),
    ...(state.previousCertPem ? { [FILES.previous]: state.previousCertPem } : {}),
  });
}
