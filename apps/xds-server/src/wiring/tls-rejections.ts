// Client certificates the ADS port refuses (expired, not yet valid, from an unknown CA,
// missing): one clear log line and a metric per refused handshake, so an operator sees a
// proxy that cannot connect and why. The transport (libs/ads, TLS terminated in front of
// grpc-js) reports each refusal with its reason; this is only where it is logged and counted.
import type { RunningTransport } from "@gatehouse/ads";
import { counter } from "@gatehouse/runtime";
import type { Logger } from "pino";

const rejections = () =>
  counter<"reason">({
    name: "gatehouse_xds_tls_handshake_rejections_total",
    help: "TLS handshakes the ADS port refused, by reason (expired, not-yet-valid, unknown-ca, no-certificate, other)",
    labelNames: ["reason"],
  });

/** Logs and counts every refused handshake of the transport. */
export function watchTlsRejections(transport: RunningTransport, logger: Logger): () => void {
  const log = logger.child({ component: "ads-tls" });
  const metric = rejections();
  return transport.onTlsRejection(({ reason, remote, verification, error }) => {
    metric.inc({ reason });
    log.warn({ reason, remote, verification, error }, `TLS handshake refused: client certificate ${reason}`);
  });
}
