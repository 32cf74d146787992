// `gatehouse up` (what `npm start` runs): Gatehouse on this machine. Starts a local
// nats-server when NATS_URL is not set, and runs cert-manager, the watcher (on a folder of
// manifests, or on the cluster of the current kubeconfig with --provider kubernetes), the
// ingress-converter, the translator and the xds-server (mTLS with its certificate from
// cert-manager, unless --insecure), each as its own process. It writes an Envoy bootstrap
// per Gateway and shows a live status table until Ctrl-C (or SIGTERM, or SIGHUP when the
// terminal closes), which stops everything it started. The children watch `up`
// (GATEHOUSE_PARENT_PID; nats-server through a watchdog) and stop by themselves if it dies
// any other way, kill -9 included. One `up` per state folder: .gatehouse/up.lock holds its PID.
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/kube";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { NatsConnection } from "nats";
import { connectBus, ensureBus } from "@gatehouse/bus";
import { freePort, PARENT_PID_ENV, portFree, REPO_ROOT } from "@gatehouse/runtime";
import { NatsMissingError, startLocalNats, type LocalNats } from "../up/local-nats";
import { ServiceProcess } from "../up/service-process";
import { StatusCollector } from "../up/status-collector";
import { renderStatus } from "../up/status-view";
import { writeStandaloneBootstrap, type StandaloneXds } from "../up/bootstraps";
import { DEFAULT_STATE_DIR, removeUpState, writeUpState, type UpState } from "../up/up-state";
import { acquireUpLock } from "../up/up-lock";
import { ReadinessPoller } from "../up/readiness-poller";
import { UP_PROVIDERS, UP_SERVICES, upLayout, upServiceSpecs, type UpLayout, type UpProvider, type UpServiceSpec } from "../up/service-specs";
import { commandArgs, quietLogger } from "../command-line";

const USAGE = `usage: gatehouse up [options]

Runs Gatehouse on this machine: a local nats-server (unless NATS_URL or --nats is given),
cert-manager, the watcher, the ingress-converter, the translator and the xds-server, each as
a process, an Envoy bootstrap per Gateway, and a live status table. Ctrl-C stops everything.

options:
  --provider NAME         file (default): a folder of manifests; kubernetes: the cluster of
                          the current kubeconfig ($KUBECONFIG, else ~/.kube/config)
  --dir DIR               folder of manifests to watch (file provider; default: deploy/examples)
  --nats URL              use this NATS server (default: $NATS_URL, else start one)
  --xds-port PORT         ADS port of the xds-server (default: 18000, or a free one if taken; 0: a free one)
  --insecure              plaintext xDS (default: mTLS; cert-manager keeps the CA in
                          STATE-DIR/pki/ca and the proxies' client certificate in
                          STATE-DIR/pki/envoy-client, which the bootstraps point at)
  --controller-name NAME  GatewayClass controllerName to serve (default: ${DEFAULT_CONTROLLER_NAME})
  --lease-name NAME       the watcher's leader-election Lease (kubernetes provider; default:
                          gatehouse-watcher, the Lease of a Gatehouse installed in the cluster:
                          while that one leads, the local watcher writes no status)
  --state-dir DIR         where up.json, logs, statuses, certificates and bootstraps go (default: .gatehouse)
  --plain                 print the table when it changes instead of redrawing the screen
`;

export const FLAGS = {
  provider: { type: "string" },
  dir: { type: "string" },
  nats: { type: "string" },
  "xds-port": { type: "string" },
  insecure: { type: "boolean" },
  "controller-name": { type: "string" },
  "lease-name": { type: "string" },
  "state-dir": { type: "string" },
  plain: { type: "boolean" },
} as const;

export const CHOICES = { provider: UP_PROVIDERS };

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs("up", USAGE, argv, FLAGS);
  if (typeof args === "number") return args;
  const fail = (message: string) => (process.stderr.write(`gatehouse up: ${message}\n`), 2);
  const provider = (args.provider ?? "file") as UpProvider;
  if (!UP_PROVIDERS.includes(provider)) return fail(`--provider must be one of ${UP_PROVIDERS.join(", ")}, got ${JSON.stringify(args.provider)}`);
  if (provider === "kubernetes" && args.dir !== undefined) return fail("--dir is for the file provider; --provider kubernetes reads the cluster of the current kubeconfig");
  if (provider !== "kubernetes" && args["lease-name"] !== undefined) return fail("--lease-name is for --provider kubernetes (the file provider elects no leader)");
  if (args["lease-name"] === "") return fail("--lease-name must not be empty");
  let xdsPort = 18000;
  if (args["xds-port"] !== undefined) {
    xdsPort = Number(args["xds-port"]);
    if (!Number.isInteger(xdsPort) || xdsPort < 0 || xdsPort > 65535) return fail(`--xds-port must be a port number, got ${JSON.stringify(args["xds-port"])}`);
    // 0: any free port, picked here because the bootstraps need the number.
    if (xdsPort === 0) xdsPort = await freePort();
  } else if (!(await portFree(xdsPort))) {
    xdsPort = await freePort();
  }
  let kubeServer: string | undefined;
  if (provider === "kubernetes") {
    // Checked here so a missing kubeconfig is one clear line, not a crash-looping watcher.
    // Loaded only in this mode: @kubernetes/client-node is large.
    const { loadKubeConfig } = await import("@gatehouse/kube-client");
    try {
      const kube = loadKubeConfig();
      kubeServer = `${kube.server} (from ${kube.source}, namespace ${kube.namespace})`;
    } catch (err) {
      process.stderr.write(`gatehouse up: --provider kubernetes: ${(err as Error).message}\n`);
      return 1;
    }
  }

  const up = new Up({
    provider,
    dir: provider === "file" ? path.resolve(args.dir ?? path.join(REPO_ROOT, "deploy/examples")) : undefined,
    kubeServer,
    layout: upLayout(args["state-dir"] ?? DEFAULT_STATE_DIR),
    controllerName: args["controller-name"] ?? DEFAULT_CONTROLLER_NAME,
    leaseName: args["lease-name"],
    xdsPort,
    insecure: !!args.insecure,
    natsUrl: args.nats ?? process.env.NATS_URL,
    plain: !!args.plain,
  });
  return up.run();
}

interface UpOptions {
  provider: UpProvider;
  dir?: string;
  kubeServer?: string;
  layout: UpLayout;
  controllerName: string;
  leaseName?: string;
  xdsPort: number;
  insecure: boolean;
  natsUrl?: string;
  plain: boolean;
}

class Up {
  private nats: LocalNats | undefined;
  private services: ServiceProcess[] = [];
  private nc: NatsConnection | undefined;
  private collector: StatusCollector | undefined;
  private readiness: ReadinessPoller | undefined;
  private readonly bootstraps = new Map<string, string>();
  private renderTimer: NodeJS.Timeout | undefined;
  private lastFrame = "";
  private stopping: Promise<void> | undefined;
  private state: UpState | undefined;
  private xds: StandaloneXds | undefined;
  private readonly out = process.stdout;
  /** The start-up lines (addresses, log files), kept above the redrawn table. */
  private header: string[] = [];
  private releaseLock: () => void = () => {};

  constructor(private readonly opts: UpOptions) {}

  async run(): Promise<number> {
    const { stateDir } = this.opts.layout;
    const lock = acquireUpLock(stateDir);
    if (!lock.ok) {
      process.stderr.write(
        `gatehouse up: already running in this folder (PID ${lock.pid}, state in ${stateDir}).\n` +
          `Stop it first (kill ${lock.pid}), or run another one with --state-dir DIR.\n`,
      );
      return 1;
    }
    this.releaseLock = lock.release;
    if (lock.staleFrom !== undefined) this.out.write(`A previous gatehouse up (PID ${lock.staleFrom}) did not stop cleanly; its lock is removed.\n`);
    const done = new Promise<number>((resolve) => {
      const stop = (signal: string) => {
        if (this.stopping) {
          // A second Ctrl-C: stop waiting for graceful exits.
          for (const s of this.services) void s.stop(0);
          return;
        }
        this.out.write(`\n${signal}: stopping Gatehouse...\n`);
        void this.shutdown().then(() => resolve(0));
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
      // A closed terminal: stop like Ctrl-C (the default would exit at once, leaving the children to their watch).
      process.on("SIGHUP", () => stop("SIGHUP"));
    });

    try {
      await this.start();
    } catch (err) {
      // Stopped by a signal while starting: what failed was cut short on purpose.
      if (this.stopping) return this.finish(await done);
      await this.shutdown();
      if (err instanceof NatsMissingError) {
        process.stderr.write(err.message + "\n");
        return 1;
      }
      process.stderr.write(`gatehouse up: ${(err as Error).message}\n`);
      return 1;
    }
    return this.finish(await done);
  }

  private finish(code: number): number {
    this.out.write(`Stopped. Logs are in ${this.opts.layout.logDir}.\n`);
    return code;
  }

  private async start(): Promise<void> {
    const { layout, provider } = this.opts;
    mkdirSync(layout.logDir, { recursive: true });
    rmSync(layout.bootstrapDir, { recursive: true, force: true });

    let natsUrl = this.opts.natsUrl;
    if (!natsUrl) {
      this.out.write("Starting nats-server (JetStream, temporary store)...\n");
      this.nats = await startLocalNats();
      natsUrl = this.nats.url;
    }
    this.out.write(`NATS: ${natsUrl}\n`);
    // Declare the buckets once before the services race to do it.
    this.nc = await connectBus({ servers: natsUrl, name: "gatehouse-up", connectTimeoutMs: 10_000, logger: quietLogger() });
    await ensureBus(this.nc);

    const xdsAddress = `127.0.0.1:${this.opts.xdsPort}`;
    this.xds = { address: xdsAddress, ...(this.opts.insecure ? {} : { tls: { certDir: layout.envoyClientDir, sdsDir: layout.sdsDir } }) };
    const healthPorts = new Map<string, number>();
    for (const name of UP_SERVICES) healthPorts.set(name, await freePort());
    const specs = upServiceSpecs({
      provider,
      dir: this.opts.dir,
      insecure: this.opts.insecure,
      natsUrl,
      controllerName: this.opts.controllerName,
      leaseName: this.opts.leaseName,
      xdsPort: this.opts.xdsPort,
      layout,
      healthPort: (name) => healthPorts.get(name)!,
      env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "info", [PARENT_PID_ENV]: String(process.pid) },
    });
    this.startServices(specs);
    this.readiness = new ReadinessPoller(new Map(specs.map((x) => [x.name, x.healthPort])), () => this.scheduleRender());
    this.readiness.start();

    this.state = {
      pid: process.pid,
      natsUrl,
      xdsAddress,
      ...(this.xds.tls ? { xdsTls: this.xds.tls } : {}),
      provider,
      ...(this.opts.dir ? { dir: this.opts.dir } : {}),
      ...(this.opts.kubeServer ? { kubeServer: this.opts.kubeServer } : {}),
      startedAt: new Date().toISOString(),
      services: specs.map((s, i) => ({ name: s.name, pid: this.services[i].state.pid, healthPort: s.healthPort, log: s.logFile })),
      ...(this.nats ? { natsPid: this.nats.pid } : {}),
      bootstrapDir: layout.bootstrapDir,
      bootstraps: {},
      statusFile: provider === "file" ? layout.statusFile : "",
    };
    writeUpState(layout.stateDir, this.state);
    this.header = [
      `NATS: ${natsUrl}`,
      provider === "file" ? `Watching ${this.opts.dir}` : `Kubernetes API: ${this.opts.kubeServer}`,
      this.xds.tls
        ? `xDS (ADS, mTLS): ${xdsAddress}; proxies' client certificate in ${layout.envoyClientDir} (CA in ${layout.caDir})`
        : `xDS (ADS, plaintext: --insecure): ${xdsAddress}`,
      ...specs.map((s) => `${s.name.padEnd(17)} health http://127.0.0.1:${s.healthPort}/readyz  log ${s.logFile}`),
      provider === "file" ? `Statuses: ${layout.statusFile}` : "Statuses: written to the cluster by the watcher (when it holds the Lease)",
    ];
    this.out.write([...this.header.slice(1), ""].join("\n"));

    this.collector = new StatusCollector(this.nc, () => this.scheduleRender());
    await this.collector.start();
    this.scheduleRender();
  }

  private startServices(specs: UpServiceSpec[]): void {
    for (const [i, spec] of specs.entries()) {
      const svc = new ServiceProcess(
        spec,
        (state) => {
          process.stderr.write(`gatehouse up: ${state.name} exited (${state.lastExit}); restarting. See ${spec.logFile}\n`);
          this.readiness?.forget(state.name);
        },
        // A restarted service has a new PID and one more restart: keep up.json true for `gatehouse status`.
        (state) => {
          if (!this.state) return;
          Object.assign(this.state.services[i], { pid: state.pid, restarts: state.restarts, ...(state.lastExit ? { lastExit: state.lastExit } : {}) });
          writeUpState(this.opts.layout.stateDir, this.state);
          this.scheduleRender();
        },
      );
      svc.start();
      this.services.push(svc);
    }
  }

  private scheduleRender(): void {
    if (this.renderTimer || this.stopping) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      if (this.stopping || !this.collector || !this.xds) return;
      this.writeBootstraps(this.xds);
      const services = this.services.map((s) => ({ ...s.state, ...this.readiness?.get(s.state.name) }));
      const frame = renderStatus({ ...this.collector.view(), services, bootstraps: this.bootstraps });
      if (frame === this.lastFrame) return;
      this.lastFrame = frame;
      if (this.out.isTTY && !this.opts.plain) {
        this.out.write(`\x1b[H\x1b[2J${new Date().toLocaleTimeString()}  gatehouse up, PID ${process.pid} (Ctrl-C stops)\n${this.header.join("\n")}\n\n${frame}`);
      } else {
        this.out.write(`\n--- ${new Date().toISOString()}\n${frame}`);
      }
    }, 250);
  }

  /** A bootstrap for every Gateway that has none yet. */
  private writeBootstraps(xds: StandaloneXds): void {
    for (const [i, gw] of this.collector!.gatewayKeys().entries()) {
      if (this.bootstraps.has(gw)) continue;
      const written = writeStandaloneBootstrap(this.opts.layout.bootstrapDir, gw, xds, i);
      if (!written.ok) continue;
      this.bootstraps.set(gw, written.file);
      if (this.state) {
        this.state.bootstraps[gw] = written.file;
        writeUpState(this.opts.layout.stateDir, this.state);
      }
      if (this.opts.plain || !this.out.isTTY) this.out.write(`Envoy bootstrap for ${gw}: ${written.file}\n`);
    }
  }

  private shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.renderTimer);
      this.readiness?.stop();
      await this.collector?.stop().catch(() => {});
      await this.nc?.close().catch(() => {});
      await Promise.all(this.services.map((s) => s.stop()));
      await this.nats?.stop();
      removeUpState(this.opts.layout.stateDir);
      this.releaseLock();
    })();
    return this.stopping;
  }
}
