// The watcher service. File mode (default): publishes a folder of YAML to `resources` and
// `endpoints` and writes the statuses of `status` to a file. Kubernetes mode: one informer
// per kind publishes the cluster of the kubeconfig (in-cluster service account first), and
// the replica holding the Lease writes the statuses of `status` back to the API server and
// applies the Envoy Deployment, Service, ... of each of our Gateways (--manage-infrastructure).
import path from "node:path";
import { BUS_CONFIG_OPTIONS, runBusService } from "@gatehouse/bus";
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/kube";
import { createLogger, defineConfig } from "@gatehouse/runtime";
import { FileWatcherService } from "./file-watcher-service";

const config = defineConfig({
  ...BUS_CONFIG_OPTIONS,
  provider: { type: "enum", values: ["file", "kubernetes"] as const, default: "file", description: "where objects come from: a folder of YAML, or the Kubernetes API" },
  dir: { type: "string", description: "folder of Kubernetes YAML to watch (file provider)", default: "deploy/examples" },
  statusFile: { type: "string", description: "file the statuses from the status bucket are written to (file provider; empty: none)", default: "" },
  rescanInterval: { type: "duration", default: 2_000, description: "full rescan of the folder, catching missed file events (0: off)" },
  controllerName: { type: "string", default: DEFAULT_CONTROLLER_NAME, description: "spec.controllerName of the GatewayClasses this controller serves (kubernetes provider)" },
  leaderElectionNamespace: { type: "string", default: "", description: "namespace of the leader-election Lease (empty: the kubeconfig's or the pod's namespace)" },
  leaderElectionIdentity: { type: "string", env: "POD_NAME", default: "", description: "this replica's name in the leader-election Lease (empty: a random one); deploy/ passes the pod's name" },
  leaderElectionName: { type: "string", default: "gatehouse-watcher", description: "name of the leader-election Lease" },
  leaseDuration: { type: "duration", default: 15_000, description: "how long a Lease not renewed stays held" },
  renewDeadline: { type: "duration", default: 10_000, description: "a leader that has not renewed for this long stops writing" },
  retryPeriod: { type: "duration", default: 2_000, description: "interval of Lease acquire and renew attempts" },
  statusWriteConcurrency: { type: "int", default: 8, min: 1, max: 256, description: "objects whose status the leader writes to the API server at once (kubernetes provider)" },
  manageInfrastructure: { type: "boolean", default: true, description: "apply the Envoy proxies (Deployment, Service, ...) of our Gateways (kubernetes provider)" },
  infrastructureApplyConcurrency: { type: "int", default: 8, min: 1, max: 256, description: "Gateways whose Envoy infrastructure the leader applies at once (kubernetes provider)" },
  controlPlaneNamespace: { type: "string", default: "", description: "namespace of the control plane (empty: the kubeconfig's or the pod's namespace)" },
  xdsServer: { type: "string", default: "", description: "host:port the proxies dial for xDS (empty: the gatehouse-xds-server Service of the control plane namespace)" },
  healthPort: { type: "port", default: 8081, description: "port of /healthz, /readyz and /metrics" },
}).load({ serviceName: "watcher" });

const logger = createLogger("watcher");

if (config.provider === "kubernetes") {
  // Loaded only in this mode: @kubernetes/client-node costs about 150 MiB that the file provider does not need.
  const [{ KubeClient, loadKubeConfig }, { KubeWatcherService }, { parseHostPort }] = await Promise.all([
    import("@gatehouse/kube-client"),
    import("./kube/kube-watcher-service"),
    import("@gatehouse/xds"),
  ]);
  const kube = loadKubeConfig();
  logger.info({ server: kube.server, source: kube.source }, "Kubernetes API");
  const xdsServer = config.xdsServer ? parseHostPort(config.xdsServer) : undefined;
  if (config.xdsServer && !xdsServer) {
    logger.error({ xdsServer: config.xdsServer }, "--xds-server must be host:port");
    process.exit(2);
  }
  const client = new KubeClient(kube.config);
  await runBusService({
    name: "watcher",
    config,
    logger,
    component: "kube-watcher",
    create: (nc) =>
      new KubeWatcherService({
        nc,
        client,
        logger,
        controllerName: config.controllerName,
        statusWriteConcurrency: config.statusWriteConcurrency,
        infrastructure: config.manageInfrastructure ? { controlPlaneNamespace: config.controlPlaneNamespace || kube.namespace, xdsServer, concurrency: config.infrastructureApplyConcurrency } : undefined,
        leaderElection: {
          namespace: config.leaderElectionNamespace || kube.namespace,
          name: config.leaderElectionName,
          identity: config.leaderElectionIdentity || undefined,
          leaseDurationMs: config.leaseDuration,
          renewDeadlineMs: config.renewDeadline,
          retryPeriodMs: config.retryPeriod,
        },
      }),
    readiness: { name: "cluster-synced", notReady: "informers not synced yet" },
  });
} else {
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
}
