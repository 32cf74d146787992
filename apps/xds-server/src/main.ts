// The xds-server service: `ir` and `endpoints` in, ADS (SotW and Delta) to Envoy out,
// ACK/NACK events to `xds-events`.
import { BUS_CONFIG_OPTIONS, runBusService } from "@gatehouse/bus";
import { DEFAULT_IP_FAMILY } from "@gatehouse/ir";
import { KEY_SPEC_NAMES, keySpecFromName } from "@gatehouse/pki";
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
  certsFromBus: { type: "boolean", default: false, description: "mTLS with a serving certificate from cert-manager (own key, CSR) and the trust bundle of `certs`, rotated live (instead of --tls-*)" },
  serverDnsNames: { type: "list", default: ["localhost"], description: "DNS names to request in the serving certificate (with --certs-from-bus)" },
  serverIps: { type: "list", default: ["127.0.0.1", "::1"], description: "IP addresses to request in the serving certificate (with --certs-from-bus)" },
  keyType: { type: "enum", values: KEY_SPEC_NAMES, default: "ec-p256", description: "type of the key the xds-server makes for its certificate (with --certs-from-bus)" },
  certCheckInterval: { type: "duration", default: 10_000, description: "how often the serving certificate's renewal point is checked (with --certs-from-bus)" },
  renewFraction: { type: "number", min: 0, max: 1, description: "renew the serving certificate when this fraction of its life has passed (default 2/3)" },
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
      certificates: config.certsFromBus
        ? {
            names: { commonName: "xds-server", dnsNames: config.serverDnsNames, ipAddresses: config.serverIps },
            keySpec: keySpecFromName(config.keyType),
            renewPolicy: { renewFraction: config.renewFraction },
            checkIntervalMs: config.certCheckInterval,
          }
        : undefined,
      tls: config.tlsCert
        ? {
            source: new FileCertificateSource({ certFile: config.tlsCert, keyFile: config.tlsKey!, caFile: config.tlsCa }),
            requireClientCertificate: !!config.tlsCa,
          }
        : undefined,
    }),
  readiness: { name: "serving", notReady: "initial replay not done" },
});
