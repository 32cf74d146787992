// The translator service: `resources` and `derived` to per-Gateway IR and statuses.
import { BUS_CONFIG_OPTIONS, runBusService } from "@gatehouse/bus";
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/kube";
import { DEFAULT_IP_FAMILY } from "@gatehouse/ir";
import { createLogger, defineConfig } from "@gatehouse/runtime";
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
  ipFamily: {
    type: "enum",
    values: ["IPv4", "IPv6", "DualStack"] as const,
    default: DEFAULT_IP_FAMILY,
    description: "proxies' IP family when neither their ProxyConfig nor the cluster (Service default/kubernetes) decides it; written into the IR (the xds-server builds listeners and picks endpoints by it)",
  },
  healthPort: { type: "port", default: 8082, description: "port of /healthz, /readyz and /metrics" },
}).load({ serviceName: "translator" });

const logger = createLogger("translator");
await runBusService({
  name: "translator",
  config,
  logger,
  component: "translator",
  create: (nc) =>
    new TranslatorService({
      nc,
      logger,
      controllerName: config.controllerName,
      debounceMs: config.debounce,
      maxWaitMs: config.maxWait,
      ipFamily: config.ipFamily,
    }),
  readiness: { name: "initial-translation", notReady: "initial replay and translation not done" },
});
