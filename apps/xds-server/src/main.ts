// The xds-server service: `ir` and `endpoints` in, ADS (SotW and Delta) to Envoy out,
// ACK/NACK events to `xds-events`.
import { BUS_CONFIG_OPTIONS, busConnectOptions, connectBus, natsConnected } from "@gatehouse/bus";
import { createLogger, defineConfig, defineService, HealthServer, runServices, ServiceRunner } from "@gatehouse/runtime";
import type { NatsConnection } from "nats";
import { FileCertificateSource } from "./server/index";
import { XdsService } from "./wiring/xds-service";

const config = defineConfig({
  ...BUS_CONFIG_OPTIONS,
  xdsPort: { type: "port", default: 18000, description: "ADS gRPC port (listens on ::, falling back to 0.0.0.0)" },
  ipFamily: {
    type: "enum",
    values: ["IPv4", "IPv6", "DualStack"] as const,
    default: "DualStack",
    description: "proxies' IP family when a Gateway's IR does not set one",
  },
  endpointWindow: { type: "duration", default: 5, description: "coalescing window of endpoint changes" },
  tlsCert: { type: "string", description: "PEM certificate chain of the ADS server (enables TLS; standalone mode runs plaintext)" },
  tlsKey: { type: "string", description: "PEM private key of tlsCert" },
  tlsCa: { type: "string", description: "PEM CA bundle client certificates must chain to (enables mutual TLS)" },
  healthPort: { type: "port", default: 8083, description: "port of /healthz, /readyz and /metrics" },
}).load({ serviceName: "xds-server" });

const logger = createLogger("xds-server");
if (!config.tlsCert !== !config.tlsKey) {
  logger.error("--tls-cert and --tls-key go together");
  process.exit(2);
}
let nc: NatsConnection | undefined;
let xds: XdsService | undefined;
let connected: () => boolean = () => false;
const health = new HealthServer({ port: config.healthPort, logger });
health.addReadinessCheck("nats", () => connected() || "not connected to NATS");
health.addReadinessCheck("serving", () => xds?.ready || "initial replay not done");

const runner = new ServiceRunner({ logger }).add(
  health,
  defineService(
    "nats",
    async () => {
      nc = await connectBus({ ...busConnectOptions(config, "xds-server"), logger });
      connected = natsConnected(nc);
    },
    async () => void (await nc?.drain()),
  ),
  defineService(
    "xds",
    async () => {
      xds = new XdsService({
        nc: nc!,
        logger,
        port: config.xdsPort,
        defaultFamily: config.ipFamily,
        endpointWindowMs: config.endpointWindow,
        tls: config.tlsCert
          ? {
              source: new FileCertificateSource({ certFile: config.tlsCert, keyFile: config.tlsKey!, caFile: config.tlsCa }),
              requireClientCertificate: !!config.tlsCa,
            }
          : undefined,
      });
      await xds.start();
    },
    async () => xds?.close(),
  ),
);
await runServices(runner, { logger });
