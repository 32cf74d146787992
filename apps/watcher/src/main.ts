// The watcher service. File mode: publishes a folder of YAML to `resources` and
// `endpoints` and writes the statuses of `status` to a file. (Kubernetes mode, with one
// informer per kind and status PATCHes, is not built yet.)
import path from "node:path";
import { BUS_CONFIG_OPTIONS, busConnectOptions, connectBus, natsConnected } from "@gatehouse/bus";
import { createLogger, defineConfig, defineService, HealthServer, runServices, ServiceRunner } from "@gatehouse/runtime";
import type { NatsConnection } from "nats";
import { FileWatcherService } from "./file-watcher-service";

const config = defineConfig({
  ...BUS_CONFIG_OPTIONS,
  dir: { type: "string", description: "folder of Kubernetes YAML to watch (file provider)", default: "deploy/examples" },
  statusFile: { type: "string", description: "file the statuses from the status bucket are written to (empty: none)", default: "" },
  rescanInterval: { type: "duration", default: 2_000, description: "full rescan of the folder, catching missed file events (0: off)" },
  healthPort: { type: "port", default: 8081, description: "port of /healthz, /readyz and /metrics" },
}).load({ serviceName: "watcher" });

const logger = createLogger("watcher");
let nc: NatsConnection | undefined;
let watcher: FileWatcherService | undefined;
let connected: () => boolean = () => false;
const health = new HealthServer({ port: config.healthPort, logger });
health.addReadinessCheck("nats", () => connected() || "not connected to NATS");
health.addReadinessCheck("folder-published", () => watcher?.ready || "folder not published yet");

const runner = new ServiceRunner({ logger }).add(
  health,
  defineService(
    "nats",
    async () => {
      nc = await connectBus({ ...busConnectOptions(config, "watcher"), logger });
      connected = natsConnected(nc);
    },
    async () => void (await nc?.drain()),
  ),
  defineService(
    "file-watcher",
    async () => {
      watcher = new FileWatcherService({
        nc: nc!,
        dir: path.resolve(config.dir),
        logger,
        statusFile: config.statusFile ? path.resolve(config.statusFile) : undefined,
        rescanMs: config.rescanInterval,
      });
      await watcher.start();
    },
    async () => watcher?.close(),
  ),
);
await runServices(runner, { logger });
