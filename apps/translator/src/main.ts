// The translator service: `resources` and `derived` to per-Gateway IR and statuses.
import { BUS_CONFIG_OPTIONS, busConnectOptions, connectBus, natsConnected } from "@gatehouse/bus";
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import { createLogger, defineConfig, defineService, HealthServer, runServices, ServiceRunner } from "@gatehouse/runtime";
import type { NatsConnection } from "nats";
import { TranslatorService } from "./wiring/translator-service";

const config = defineConfig({
  ...BUS_CONFIG_OPTIONS,
  controllerName: {
    type: "string",
    default: DEFAULT_CONTROLLER_NAME,
    description: "spec.controllerName of the GatewayClasses this controller serves",
  },
  debounce: { type: "duration", default: 5, description: "quiet time that ends a burst of changes" },
  maxWait: { type: "duration", default: 100, description: "longest a change waits during a continuous burst" },
  healthPort: { type: "port", default: 8082, description: "port of /healthz, /readyz and /metrics" },
}).load({ serviceName: "translator" });

const logger = createLogger("translator");
let nc: NatsConnection | undefined;
let translator: TranslatorService | undefined;
let connected: () => boolean = () => false;
const health = new HealthServer({ port: config.healthPort, logger });
health.addReadinessCheck("nats", () => connected() || "not connected to NATS");
health.addReadinessCheck("initial-translation", () => translator?.ready || "initial replay and translation not done");

const runner = new ServiceRunner({ logger }).add(
  health,
  defineService(
    "nats",
    async () => {
      nc = await connectBus({ ...busConnectOptions(config, "translator"), logger });
      connected = natsConnected(nc);
    },
    async () => void (await nc?.drain()),
  ),
  defineService(
    "translator",
    async () => {
      translator = new TranslatorService({
        nc: nc!,
        logger,
        controllerName: config.controllerName,
        debounceMs: config.debounce,
        maxWaitMs: config.maxWait,
      });
      await translator.start();
    },
    async () => translator?.close(),
  ),
);
await runServices(runner, { logger });
