// TLS in front of grpc-js: a node:tls server terminates TLS (and mTLS) itself and hands each
// authenticated connection to grpc-js through Server.createConnectionInjector, grpc-js's
// public way to serve connections it did not accept. grpc-js would otherwise create its own
// HTTP/2 secure servers and keep them private, leaving no public way to see a refused
// handshake. Here the client certificate is checked by this front, as node:tls documents
// for rejectUnauthorized: false: a connection whose certificate did not verify is closed
// before a byte of it reaches grpc-js, and reported as a TlsRejection with its reason and
// the client's address (still known then, unlike in 'tlsClientError', which reports the
// handshakes that failed outright). Certificates swap with setSecureContext: new handshakes
// use them, open connections stay. ALPN "h2" only, as Node's own http2 secure server does.
import { type Server as GrpcServer, ServerCredentials } from "@grpc/grpc-js";
import { createServer, type Server as TlsServer, type SecureContextOptions, type TLSSocket } from "node:tls";
import type { Socket } from "node:net";
import type { CertificateSource, TlsMaterial } from "./credentials";

export type TlsRejectionReason = "expired" | "not-yet-valid" | "unknown-ca" | "no-certificate" | "other";

export interface TlsRejection {
  readonly reason: TlsRejectionReason;
  /** The handshake error (for a refused client certificate often only "socket hang up"). */
  readonly error: string;
  /** OpenSSL's verification result of the client certificate, e.g. CERT_HAS_EXPIRED. */
  readonly verification?: string;
  /** address:port of the client. */
  readonly remote: string;
}

/**
 * The reason of a refused handshake: the socket's authorizationError (OpenSSL's
 * verification result) when there is one, else the error itself.
 */
export function tlsRejectionReason(err: Error & { code?: string }, authorizationError?: unknown): TlsRejectionReason {
  const text = `${String(authorizationError ?? "")} ${err.code ?? ""} ${err.message}`;
  if (/CERT_HAS_EXPIRED|certificate expired|certificate has expired/i.test(text)) return "expired";
  if (/CERT_NOT_YET_VALID|not yet valid/i.test(text)) return "not-yet-valid";
  if (/UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unknown ca|self.signed|unable to verify|certificate verify failed|UNABLE_TO_VERIFY/i.test(text)) return "unknown-ca";
  if (/peer did not return a certificate|PEER_DID_NOT_RETURN_A_CERTIFICATE|certificate required/i.test(text)) return "no-certificate";
  return "other";
}

export interface TlsFront {
  readonly server: TlsServer;
  /** Calls `listener` for every refused handshake; returns the unsubscribe. */
  onRejection(listener: (rejection: TlsRejection) => void): () => void;
  /** Stops following the certificate source (the server is closed by the transport). */
  detach(): void;
  /** Destroys the connections still open (after grpc-js drained its own; handshakes in flight). */
  destroyConnections(): void;
}

function remoteOf(socket: TLSSocket): string {
  if (!socket.remoteAddress) return "unknown";
  return socket.remoteFamily === "IPv6" ? `[${socket.remoteAddress}]:${socket.remotePort}` : `${socket.remoteAddress}:${socket.remotePort}`;
}

function contextOptions(m: TlsMaterial): SecureContextOptions {
  return { cert: m.cert, key: m.key, ...(m.ca ? { ca: m.ca } : {}) };
}

/** A TLS server (not listening yet) whose connections grpc-js serves. */
export function createTlsFront(grpc: GrpcServer, tls: { readonly source: CertificateSource; readonly requireClientCertificate: boolean }): TlsFront {
  const { source, requireClientCertificate } = tls;
  if (requireClientCertificate && !source.hasCa) throw new Error("mTLS needs a CA bundle in the certificate source");
  // TLS is done by then: grpc-js gets plaintext HTTP/2 over the TLSSocket (and still sees
  // it as one: its auth context reads the peer certificate from the socket).
  const injector = grpc.createConnectionInjector(ServerCredentials.createInsecure());
  const server = createServer({
    ...contextOptions(source.current),
    ALPNProtocols: ["h2"],
    requestCert: requireClientCertificate,
    // Checked below, where the refused connection can still be described.
    rejectUnauthorized: false,
  });
  const listeners = new Set<(r: TlsRejection) => void>();
  const reject = (rejection: TlsRejection) => {
    for (const l of listeners) l(rejection);
  };
  const sockets = new Set<Socket>();
  server.on("connection", (raw: Socket) => {
    sockets.add(raw);
    raw.once("close", () => sockets.delete(raw));
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    // Errors of a live connection are the HTTP/2 session's to handle; unhandled they would crash.
    socket.on("error", () => {});
    if (requireClientCertificate && !socket.authorized) {
      const verification = String(socket.authorizationError ?? "");
      const presented = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
      const reason = presented ? tlsRejectionReason(new Error("client certificate not verified"), verification) : "no-certificate";
      reject({ reason, error: presented ? "client certificate not verified" : "no client certificate", verification: verification || undefined, remote: remoteOf(socket) });
      socket.destroy();
      return;
    }
    injector.injectConnection(socket);
  });
  server.on("tlsClientError", (err: Error & { code?: string }, socket: TLSSocket) => {
    // A handshake that failed outright (protocol error, the client refusing our certificate).
    const verification = socket.authorizationError ? String(socket.authorizationError) : undefined;
    socket.destroy();
    reject({ reason: tlsRejectionReason(err, verification), error: err.message, verification, remote: remoteOf(socket) });
  });
  const detach = source.onUpdate((m) => server.setSecureContext(contextOptions(m)));
  return {
    server,
    onRejection(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    detach,
    destroyConnections: () => {
      for (const raw of sockets) raw.destroy();
    },
  };
}
