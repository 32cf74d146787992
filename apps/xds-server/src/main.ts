// The xds-server service: `ir` and `endpoints` in, ADS (SotW and Delta) to Envoy out,
// ACK/NACK events to `xds-events`.
import { BUS_CONFIG_OPTIONS, runBusService } from "@gatehouse/bus";
import { DEFAULT_IP_FAMILY } from "@gatehouse/ir";
import { createLogger, defineConfig } from "@gatehouse/runtime";
import { setValidationLogger } from "@gatehouse/xds";
import { FileCertificateSource } from "@gatehouse/ads";
import { XdsService } from "./wiring/xds-service";

const config = defineConfig({
  ...BUS_CONFIG_OPTIONS,
  xdsPort: { type: "port", default: 18000, description: "ADS gRPC port (listens on ::, falling back to 0.0.0.0)" },
  endpointWindow: { type: "duration", default: 5, description: "coalescing window of endpoint changes" },
  endpointMaxWindow: { type: "duration", default: 50, description: "the most a busy xds-server widens the endpoint coalescing window to" },
  tlsCert: { type: "string", description: "PEM certificate chain of the ADS server (enables TLS; standalone mode runs plaintext)" },
  tlsKey: { type: "string", description: "PEM private key of tlsCert" },
  tlsCa: { type: "string", description: "PEM CA bundle client certificates must chain to (enables mutual TLS)" },
  healthPort: { type: "port", default: 8083, description: "port of /healthz, /readyz and /metrics" },
}).load({ serviceName: "xds-server" });

const logger = createLogger("xds-server");
// Unsupported-PGV-rule warnings go through the service logger, not a stray stderr pino.
setValidationLogger(logger.child({ component: "xds-validate" }));
if (!config.tlsCert !== !config.tlsKey) {
  logger.error("--tls-cert and --tls-key go together");
  process.exit(2);
}
await runBusService({
  name: "xds-server",
  config,
  logger,
  component: "xds",
  create: (nc) =>
    new XdsService({
      nc,
      logger,
      port: config.xdsPort,
      // The IP family comes from each IR (the translator's --ip-family); this is only for IRs
      // written by a translator older than that.
      defaultFamily: DEFAULT_IP_FAMILY,
      endpointWindowMs: config.endpointWindow,
      endpointMaxWindowMs: config.endpointMaxWindow,
      tls: config.tlsCert
        ? {
            source: new FileCertificateSource({ certFile: config.tlsCert, keyFile: config.tlsKey!, caFile: config.tlsCa }),
            requireClientCertificate: !!config.tlsCa,
          }
        : undefined,
    }),
  readiness: { name: "serving", notReady: "initial replay not done" },
});
