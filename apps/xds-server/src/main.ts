// The xds-server service: `ir` and `endpoints` in, ADS (SotW and Delta) to Envoy out,
// ACK/NACK events to `xds-events`.
import { connectBus, natsConnected } from "@gatehouse/bus";
import { createLogger, defineConfig, defineService, HealthServer, runServices, ServiceRunner } from "@gatehouse/runtime";
import type { NatsConnection } from "nats";
import { XdsService } from "./wiring/xds-service";

const config = defineConfig({
  nats: { type: "string", env: "NATS_URL", default: "nats://127.0.0.1:4222", description: "NATS server URL(s), comma-separated" },
  xdsPort: { type: "port", default: 18000, description: "ADS gRPC port (listens on ::, falling back to 0.0.0.0)" },
  ipFamily: {
    type: "enum",
    values: ["IPv4", "IPv6", "DualStack"] as const,
    default: "DualStack",
    description: "proxies' IP family when a Gateway's IR does not set one",
  },
  endpointWindow: { type: "duration", default: 5, description: "coalescing window of endpoint changes" },
  healthPort: { type: "port", default: 8083, description: "port of /healthz, /readyz and /metrics" },
}).load({ serviceName: "xds-server" });

const logger = createLogger("xds-server");
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
      nc = await connectBus({ servers: config.nats, name: "xds-server", logger });
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
      });
      await xds.start();
    },
    async () => xds?.close(),
  ),
);
await runServices(runner, { logger });
