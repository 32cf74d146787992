// The watcher service. File mode: publishes a folder of YAML to `resources` and
// `endpoints` and writes the statuses of `status` to a file. (Kubernetes mode, with one
// informer per kind and status PATCHes, is not built yet.)
import path from "node:path";
import { BUS_CONFIG_OPTIONS, runBusService } from "@gatehouse/bus";
import { createLogger, defineConfig } from "@gatehouse/runtime";
import { FileWatcherService } from "./file-watcher-service";

const config = defineConfig({
  ...BUS_CONFIG_OPTIONS,
  dir: { type: "string", description: "folder of Kubernetes YAML to watch (file provider)", default: "deploy/examples" },
  statusFile: { type: "string", description: "file the statuses from the status bucket are written to (empty: none)", default: "" },
  rescanInterval: { type: "duration", default: 2_000, description: "full rescan of the folder, catching missed file events (0: off)" },
  healthPort: { type: "port", default: 8081, description: "port of /healthz, /readyz and /metrics" },
}).load({ serviceName: "watcher" });

const logger = createLogger("watcher");
await runBusService({
  name: "watcher",
  config,
  logger,
  component: "file-watcher",
  create: (nc) =>
    new FileWatcherService({
      nc,
      dir: path.resolve(config.dir),
      logger,
      statusFile: config.statusFile ? path.resolve(config.statusFile) : undefined,
      rescanMs: config.rescanInterval,
    }),
  readiness: { name: "folder-published", notReady: "folder not published yet" },
});
