// Client certificates the ADS port refuses (expired, not yet valid, from an unknown CA,
// missing): one clear log line and a metric per refused handshake, so an operator sees a
// proxy that cannot connect and why. grpc-js does not surface TLS handshake errors, so we
// listen on its HTTP/2 servers' `tlsClientError`.
import type { Server } from "@grpc/grpc-js";
import { counter } from "@gatehouse/runtime";
import type { Logger } from "pino";
import type { EventEmitter } from "node:events";
import type { TLSSocket } from "node:tls";

export type TlsRejectionReason = "expired" | "not-yet-valid" | "unknown-ca" | "no-certificate" | "other";

/**
 * The reason of a refused handshake: the socket's authorizationError (OpenSSL's
 * verification result, e.g. CERT_HAS_EXPIRED) when there is one, else the error itself
 * (the error alone only says "socket hang up" for a rejected certificate).
 */
export function tlsRejectionReason(err: Error & { code?: string }, authorizationError?: unknown): TlsRejectionReason {
  const text = `${String(authorizationError ?? "")} ${err.code ?? ""} ${err.message}`;
  if (/CERT_HAS_EXPIRED|certificate expired|certificate has expired/i.test(text)) return "expired";
  if (/CERT_NOT_YET_VALID|not yet valid/i.test(text)) return "not-yet-valid";
  if (/UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unknown ca|self.signed|unable to verify|certificate verify failed|UNABLE_TO_VERIFY/i.test(text)) return "unknown-ca";
  if (/peer did not return a certificate|PEER_DID_NOT_RETURN_A_CERTIFICATE|certificate required/i.test(text)) return "no-certificate";
  return "other";
}

const rejections = () =>
  counter<"reason">({
    name: "gatehouse_xds_tls_handshake_rejections_total",
    help: "TLS handshakes the ADS port refused, by reason (expired, not-yet-valid, unknown-ca, no-certificate, other)",
    labelNames: ["reason"],
  });

/** Logs and counts every refused handshake of the gRPC server's listeners (call after bind). */
export function watchTlsRejections(server: Server, logger: Logger): void {
  const log = logger.child({ component: "ads-tls" });
  const metric = rejections();
  // grpc-js keeps its HTTP/2 servers in a private map; there is no public hook for this.
  const servers = (server as unknown as { http2Servers?: Map<EventEmitter, unknown> }).http2Servers;
  for (const http2 of servers?.keys() ?? []) {
    http2.on("tlsClientError", (err: Error & { code?: string }, socket: TLSSocket) => {
      const verification = (socket as TLSSocket & { authorizationError?: Error | string }).authorizationError;
      const reason = tlsRejectionReason(err, verification);
      metric.inc({ reason });
      log.warn(
        { reason, remote: `${socket?.remoteAddress}:${socket?.remotePort}`, verification: verification ? String(verification) : undefined, error: err.message },
        `TLS handshake refused: client certificate ${reason}`,
      );
    });
  }
}
