// Server TLS material that can change under a running server. grpc-js listens to a
// CertificateProvider and, on each update, calls setSecureContext on its HTTP/2 server: new
// handshakes use the new certificate, connections and streams already open are untouched.
// Today the material comes from files; the certificate rotation issue feeds update() from
// the cert-manager instead.
import { readFileSync } from "node:fs";
import { experimental, type ServerCredentials } from "@grpc/grpc-js";

type CertificateProvider = experimental.CertificateProvider;
type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

export interface TlsMaterial {
  /** PEM certificate chain of the server. */
  readonly cert: Buffer;
  /** PEM private key (never logged). */
  readonly key: Buffer;
  /** PEM CA bundle that client certificates must chain to (mTLS). */
  readonly ca?: Buffer;
}

export class CertificateSource implements CertificateProvider {
  private material: TlsMaterial;
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();
  private updates = 0;

  constructor(material: TlsMaterial) {
    this.material = material;
  }

  /** Swaps the certificate (and CA bundle) for every new handshake. */
  update(material: TlsMaterial): void {
    this.material = material;
    this.updates++;
    for (const l of this.identityListeners) l({ certificate: material.cert, privateKey: material.key });
    for (const l of this.caListeners) l(material.ca ? { caCertificate: material.ca } : null);
  }

  get updateCount(): number {
    return this.updates;
  }

  get hasCa(): boolean {
    return this.material.ca !== undefined;
  }

  // grpc-js subscribes to the provider before it registers its own watcher, so the first
  // value must arrive asynchronously or the server never hears it.
  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    queueMicrotask(() => {
      if (this.caListeners.has(listener)) listener(this.material.ca ? { caCertificate: this.material.ca } : null);
    });
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    queueMicrotask(() => {
      if (this.identityListeners.has(listener)) listener({ certificate: this.material.cert, privateKey: this.material.key });
    });
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
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

/**
 * grpc-js server credentials backed by a source. With requireClientCertificate the source
 * must carry a CA bundle, and clients without a certificate chained to it are refused.
 */
export function sourceCredentials(source: CertificateSource, requireClientCertificate: boolean): ServerCredentials {
  if (requireClientCertificate && !source.hasCa) throw new Error("mTLS needs a CA bundle in the certificate source");
  // grpc-js 1.14 passes the first argument to the identity slot and the second to the CA
  // slot (its .d.ts names them the other way round).
  return experimental.createCertificateProviderServerCredentials(
    source,
    requireClientCertificate ? source : null,
    requireClientCertificate,
  );
}
