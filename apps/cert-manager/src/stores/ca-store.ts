// The CA as cert-manager persists it in its SecretSink: the current (signing) CA's
// certificate and key; during a rollover first the next CA (certificate, key, and when the
// trust bundle holding it went out); then every retired CA still trusted (certificate
// only: nothing is signed with it any more) with the moments that decide when it may leave
// the bundle. Saved before anything is published, so a cert-manager killed mid-rotation
// restarts from the state it acted on, including in the middle of the propagation delay.
import { certificateInfo, loadPrivateKey, privateKeyPem, type CertificateAuthority, type RetiredCaTiming } from "@gatehouse/pki";
import type { SecretSink } from "./secret-sink";

export interface NextCa {
  readonly ca: CertificateAuthority;
  /** When the trust bundle holding it reached the bus and the Envoy Secrets (ms). */
  readonly trustedSince?: number;
}

/** A CA that signs no more but stays trusted while leaves it signed may be in use. */
export interface RetiredCa extends RetiredCaTiming {
  readonly certPem: string;
}

export interface CaState {
  readonly current: CertificateAuthority;
  /** The CA rolling in: trusted, not yet signing. */
  readonly next?: NextCa;
  /** CAs rolling out of the trust bundle, newest first. */
  readonly retired: readonly RetiredCa[];
}

const FILES = {
  cert: "ca.crt",
  key: "ca.key",
  retired: "retired-cas.json",
  /** The single previous CA of stores written before retired-cas.json: read, never written. */
  legacyPrevious: "previous-ca.crt",
  nextCert: "next-ca.crt",
  nextKey: "next-ca.key",
  nextTrustedSince: "next-ca-trusted-since",
} as const;

interface StoredRetiredCa {
  readonly certPem: string;
  readonly leavesEndBy: string;
  readonly unusedSince?: string;
}

function parseDate(what: string, raw: string): number {
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new Error(`${what} is not a date: ${JSON.stringify(raw)}`);
  return ms;
}

function parseRetired(raw: string): RetiredCa[] {
  const list: unknown = JSON.parse(raw);
  if (!Array.isArray(list)) throw new Error(`${FILES.retired} is not a list`);
  return list.map((entry: StoredRetiredCa, i) => {
    if (typeof entry?.certPem !== "string" || typeof entry.leavesEndBy !== "string") throw new Error(`${FILES.retired}[${i}] needs certPem and leavesEndBy`);
    const { notAfter } = certificateInfo(entry.certPem);
    return {
      certPem: entry.certPem,
      notAfter,
      leavesEndBy: Math.min(notAfter, parseDate(`${FILES.retired}[${i}].leavesEndBy`, entry.leavesEndBy)),
      ...(entry.unusedSince !== undefined ? { unusedSince: parseDate(`${FILES.retired}[${i}].unusedSince`, entry.unusedSince) } : {}),
    };
  });
}

export async function loadCaState(sink: SecretSink): Promise<CaState | undefined> {
  const data = await sink.read();
  if (!data?.[FILES.cert] || !data[FILES.key]) return undefined;
  // Parse now: a damaged store is an error to report, not something to overwrite silently.
  certificateInfo(data[FILES.cert]);
  let next: NextCa | undefined;
  if (data[FILES.nextCert] && data[FILES.nextKey]) {
    certificateInfo(data[FILES.nextCert]);
    const since = data[FILES.nextTrustedSince] ? parseDate(FILES.nextTrustedSince, data[FILES.nextTrustedSince]) : undefined;
    next = { ca: { certPem: data[FILES.nextCert], key: loadPrivateKey(data[FILES.nextKey]) }, trustedSince: since };
  }
  let retired: RetiredCa[] = data[FILES.retired] ? parseRetired(data[FILES.retired]) : [];
  if (!data[FILES.retired] && data[FILES.legacyPrevious]) {
    // When it stopped signing was not recorded: its leaves may live as long as it does.
    const { notAfter } = certificateInfo(data[FILES.legacyPrevious]);
    retired = [{ certPem: data[FILES.legacyPrevious], notAfter, leavesEndBy: notAfter }];
  }
  return { current: { certPem: data[FILES.cert], key: loadPrivateKey(data[FILES.key]) }, next, retired };
}

export async function saveCaState(sink: SecretSink, state: CaState): Promise<void> {
  const retired: StoredRetiredCa[] = state.retired.map((r) => ({
    certPem: r.certPem,
    leavesEndBy: new Date(r.leavesEndBy).toISOString(),
    ...(r.unusedSince !== undefined ? { unusedSince: new Date(r.unusedSince).toISOString() } : {}),
  }));
  await sink.write({
    [FILES.cert]: state.current.certPem,
    [FILES.key]: privateKeyPem(state.current.key),
    ...(state.next ? { [FILES.nextCert]: state.next.ca.certPem, [FILES.nextKey]: privateKeyPem(state.next.ca.key) } : {}),
    ...(state.next?.trustedSince !== undefined ? { [FILES.nextTrustedSince]: new Date(state.next.trustedSince).toISOString() } : {}),
    ...(retired.length ? { [FILES.retired]: `${JSON.stringify(retired, null, 2)}\n` } : {}),
  });
}

/** The trust bundle of a state: the signing CA, the one rolling in, the ones rolling out (newest first). */
export function trustedCas(state: CaState): string[] {
  return [state.current.certPem, ...(state.next ? [state.next.ca.certPem] : []), ...state.retired.map((r) => r.certPem)];
}
