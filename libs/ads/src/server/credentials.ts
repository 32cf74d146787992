// Server TLS material that can change under a running server. The transport's TLS front
// (tls-front.ts) follows it with setSecureContext: new handshakes use the new certificate
// and CA bundle, connections and streams already open are untouched. The material comes
// from files (FileCertificateSource) or from cert-manager (apps/xds-server).
import { readFileSync } from "node:fs";

export interface TlsMaterial {
  /** PEM certificate chain of the server. */
  readonly cert: Buffer;
  /** PEM private key (never logged). */
  readonly key: Buffer;
  /** PEM CA bundle that client certificates must chain to (mTLS). */
  readonly ca?: Buffer;
}

export class CertificateSource {
  private material: TlsMaterial;
  private readonly listeners = new Set<(material: TlsMaterial) => void>();

  constructor(material: TlsMaterial) {
    this.material = material;
  }

  /** What new handshakes get. */
  get current(): TlsMaterial {
    return this.material;
  }

  /**
   * Swaps the certificate (and CA bundle) for every new handshake. A listener that refuses
   * the material (a key that does not match its certificate) throws here, to the caller.
   */
  update(material: TlsMaterial): void {
    this.material = material;
    for (const l of this.listeners) l(material);
  }

  /** Called with the material on every update; returns the unsubscribe. */
  onUpdate(listener: (material: TlsMaterial) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get hasCa(): boolean {
    return this.material.ca !== undefined;
  }
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** With a CA file, clients must present a certificate that chains to it (mTLS). */
  readonly caFile?: string;
}

export function readTlsFiles(files: TlsFiles): TlsMaterial {
  return {
    cert: readFileSync(files.certFile),
    key: readFileSync(files.keyFile),
    ca: files.caFile ? readFileSync(files.caFile) : undefined,
  };
}

/** A certificate source loaded from files; call reload() (or update()) to swap live. */
export class FileCertificateSource extends CertificateSource {
  constructor(private readonly files: TlsFiles) {
    super(readTlsFiles(files));
  }

  reload(): void {
    this.update(readTlsFiles(this.files));
  }
}
