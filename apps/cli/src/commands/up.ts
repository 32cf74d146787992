// `gatehouse up` (what `npm start` runs): Gatehouse standalone on a folder of manifests.
// Starts a local nats-server when NATS_URL is not set, runs the watcher (file provider),
// translator and xds-server each as its own process, writes an Envoy bootstrap per Gateway
// and shows a live status table until Ctrl-C (or SIGTERM, or SIGHUP when the terminal
// closes), which stops everything it started. The children watch `up` (GATEHOUSE_PARENT_PID;
// nats-server through a watchdog) and stop by themselves if it dies any other way, kill -9
// included. One `up` per state folder: .gatehouse/up.lock holds its PID.
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { NatsConnection } from "nats";
import { connectBus, ensureBus } from "@gatehouse/bus";
import { freePort, PARENT_PID_ENV, portFree, REPO_ROOT } from "@gatehouse/runtime";
import { NatsMissingError, startLocalNats, type LocalNats } from "../up/local-nats";
import { ServiceProcess, type ServiceSpec } from "../up/service-process";
import { StatusCollector } from "../up/status-collector";
import { renderStatus } from "../up/status-view";
import { writeStandaloneBootstrap } from "../up/bootstraps";
import { DEFAULT_STATE_DIR, removeUpState, writeUpState, type UpState } from "../up/up-state";
import { acquireUpLock } from "../up/up-lock";
import { commandArgs, quietLogger } from "../command-line";


const USAGE = `usage: gatehouse up [options]

Runs Gatehouse standalone: a local nats-server (unless NATS_URL or --nats is given), the
watcher on a folder of manifests, the translator and the xds-server, each as a process.

options:
  --dir DIR               folder of manifests to watch (default: deploy/examples)
  --nats URL              use this NATS server (default: $NATS_URL, else start one)
  --xds-port PORT         ADS port of the xds-server (default: 18000, or a free one if taken)
  --controller-name NAME  GatewayClass controllerName to serve (default: ${DEFAULT_CONTROLLER_NAME})
  --state-dir DIR         where up.json, logs, statuses and bootstraps go (default: .gatehouse)
  --plain                 print the table when it changes instead of redrawing the screen
`;

export const FLAGS = {
  dir: { type: "string" },
  nats: { type: "string" },
  "xds-port": { type: "string" },
  "controller-name": { type: "string" },
  "state-dir": { type: "string" },
  plain: { type: "boolean" },
} as const;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs("up", USAGE, argv, FLAGS);
  if (typeof args === "number") return args;
  const dir = path.resolve(args.dir ?? path.join(REPO_ROOT, "deploy/examples"));
  const stateDir = path.resolve(args["state-dir"] ?? DEFAULT_STATE_DIR);
  const controllerName = args["controller-name"] ?? DEFAULT_CONTROLLER_NAME;
  let xdsPort = 18000;
  if (args["xds-port"] !== undefined) {
    xdsPort = Number(args["xds-port"]);
    if (!Number.isInteger(xdsPort) || xdsPort < 0 || xdsPort > 65535) {
      process.stderr.write(`gatehouse up: --xds-port must be a port number, got ${JSON.stringify(args["xds-port"])}\n`);
      return 2;
    }
  } else if (!(await portFree(xdsPort))) {
    xdsPort = await freePort();
  }

  const up = new Up({ dir, stateDir, controllerName, xdsPort, natsUrl: args.nats ?? process.env.NATS_URL, plain: !!args.plain });
  return up.run();
}

interface UpOptions {
  dir: string;
  stateDir: string;
  controllerName: string;
  xdsPort: number;
  natsUrl?: string;
  plain: boolean;
}

class Up {
  private nats: LocalNats | undefined;
  private services: ServiceProcess[] = [];
  private nc: NatsConnection | undefined;
  private collector: StatusCollector | undefined;
  private readonly bootstraps = new Map<string, string>();
  private renderTimer: NodeJS.Timeout | undefined;
  private lastFrame = "";
  private stopping: Promise<void> | undefined;
  private state: UpState | undefined;
  private readonly out = process.stdout;
  /** The start-up lines (addresses, log files), kept above the redrawn table. */
  private header: string[] = [];
  private releaseLock: () => void = () => {};

  constructor(private readonly opts: UpOptions) {}

  async run(): Promise<number> {
    const { stateDir } = this.opts;
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
    this.out.write(`Stopped. Logs are in ${path.join(this.opts.stateDir, "logs")}.\n`);
    return code;
  }

  private async start(): Promise<void> {
    const { stateDir, dir } = this.opts;
    const logDir = path.join(stateDir, "logs");
    const bootstrapDir = path.join(stateDir, "bootstrap");
    const statusFile = path.join(stateDir, "status.yaml");
    mkdirSync(logDir, { recursive: true });
    rmSync(bootstrapDir, { recursive: true, force: true });

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
    const specs: (ServiceSpec & { healthPort: number })[] = [];
    const common = (name: string, healthPort: number, args: string[]): ServiceSpec & { healthPort: number } => ({
      name,
      entry: `apps/${name}/src/main.ts`,
      args: ["--nats", natsUrl!, "--health-port", String(healthPort), ...args],
      env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "info", [PARENT_PID_ENV]: String(process.pid) },
      logFile: path.join(logDir, `${name}.log`),
      healthPort,
    });
    specs.push(common("watcher", await freePort(), ["--dir", dir, "--status-file", statusFile]));
    specs.push(common("translator", await freePort(), ["--controller-name", this.opts.controllerName]));
    specs.push(common("xds-server", await freePort(), ["--xds-port", String(this.opts.xdsPort)]));
    for (const [i, spec] of specs.entries()) {
      const svc = new ServiceProcess(
        spec,
        (state) => process.stderr.write(`gatehouse up: ${state.name} exited (${state.lastExit}); restarting. See ${spec.logFile}\n`),
        // A restarted service has a new PID: keep up.json true for `gatehouse status`.
        (state) => {
          if (!this.state) return;
          this.state.services[i].pid = state.pid;
          writeUpState(this.opts.stateDir, this.state);
        },
      );
      svc.start();
      this.services.push(svc);
    }
    const state: UpState = {
      pid: process.pid,
      natsUrl,
      xdsAddress,
      dir,
      startedAt: new Date().toISOString(),
      services: specs.map((s, i) => ({ name: s.name, pid: this.services[i].state.pid, healthPort: s.healthPort, log: s.logFile })),
      ...(this.nats ? { natsPid: this.nats.pid } : {}),
      bootstrapDir,
      bootstraps: {},
      statusFile,
    };
    this.state = state;
    writeUpState(stateDir, state);
    this.header = [
      `NATS: ${natsUrl}`,
      `Watching ${dir}`,
      `xDS (ADS, plaintext): ${xdsAddress}`,
      ...specs.map((s) => `${s.name.padEnd(11)} health http://127.0.0.1:${s.healthPort}/readyz  log ${s.logFile}`),
      `Statuses: ${statusFile}`,
    ];
    this.out.write([...this.header.slice(1), ""].join("\n"));

    this.collector = new StatusCollector(this.nc, () => this.scheduleRender(bootstrapDir, xdsAddress));
    await this.collector.start();
    this.scheduleRender(bootstrapDir, xdsAddress);
  }

  private scheduleRender(bootstrapDir: string, xdsAddress: string): void {
    if (this.renderTimer || this.stopping) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      if (this.stopping || !this.collector) return;
      for (const [i, gw] of this.collector.gatewayKeys().entries()) {
        if (this.bootstraps.has(gw)) continue;
        const written = writeStandaloneBootstrap(bootstrapDir, gw, xdsAddress, i);
        if (written.ok) {
          this.bootstraps.set(gw, written.file);
          if (this.state) {
            this.state.bootstraps[gw] = written.file;
            writeUpState(this.opts.stateDir, this.state);
          }
          if (this.opts.plain || !this.out.isTTY) this.out.write(`Envoy bootstrap for ${gw}: ${written.file}\n`);
        }
      }
      const frame = renderStatus({ ...this.collector.view(), bootstraps: this.bootstraps });
      if (frame === this.lastFrame) return;
      this.lastFrame = frame;
      if (this.out.isTTY && !this.opts.plain) {
        this.out.write(`\x1b[H\x1b[2J${new Date().toLocaleTimeString()}  gatehouse up, PID ${process.pid} (Ctrl-C stops)\n${this.header.join("\n")}\n\n${frame}`);
      } else {
        this.out.write(`\n--- ${new Date().toISOString()}\n${frame}`);
      }
    }, 250);
  }

  private shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.renderTimer);
      await this.collector?.stop().catch(() => {});
      await this.nc?.close().catch(() => {});
      await Promise.all(this.services.map((s) => s.stop()));
      await this.nats?.stop();
      removeUpState(this.opts.stateDir);
      this.releaseLock();
    })();
    return this.stopping;
  }
}
