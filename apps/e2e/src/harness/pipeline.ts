// The whole pipeline for a test: a nats-server of its own (the libs/testing fixture), a
// watched temporary folder (or, in Kubernetes mode, the API server of a kubeconfig file),
// and the watcher, translator and xds-server each as a real child process (as Deployments
// would run them), which a test can kill -9 and start again.
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import type { ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, spawnEntryPoint, terminate } from "@gatehouse/runtime";
import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { waitUntil } from "./wait";

export type ServiceName = "watcher" | "translator" | "xds-server" | "cert-manager" | "ingress-converter";

export interface PipelineOptions {
  controllerName?: string;
  /** Services to start (default watcher, translator and xds-server). */
  services?: ServiceName[];
  logLevel?: string;
  /** Extra command-line flags per service. */
  args?: Partial<Record<ServiceName, string[]>>;
  /** Kubernetes mode: the watcher runs `--provider kubernetes` against this kubeconfig file (KUBECONFIG). */
  kubeconfig?: string;
}

export const E2E_CONTROLLER_NAME = DEFAULT_CONTROLLER_NAME;

export class Pipeline {
  readonly dir: string;
  readonly work: string;
  private readonly running = new Map<ServiceName, ChildProcess>();
  /** Services being stopped: a restart waits for the old process to be gone. */
  private readonly stopping = new Map<ServiceName, Promise<void>>();
  private readonly logs = new Map<ServiceName, WriteStream>();
  private constructor(
    readonly nats: NatsServerHandle,
    readonly xdsPort: number,
    private readonly healthPorts: Record<ServiceName, number>,
    private readonly opts: PipelineOptions,
  ) {
    this.work = mkdtempSync(path.join(tmpdir(), "gatehouse-e2e-"));
    this.dir = path.join(this.work, "manifests");
  }

  static async start(opts: PipelineOptions = {}): Promise<Pipeline> {
    const nats = await startNatsServer({ forceSpawn: true });
    const ports = {
      watcher: await freePort(),
      translator: await freePort(),
      "xds-server": await freePort(),
      "cert-manager": await freePort(),
      "ingress-converter": await freePort(),
    };
    const p = new Pipeline(nats, await freePort(), ports, opts);
    mkdirSync(p.dir);
    for (const name of opts.services ?? (["watcher", "translator", "xds-server"] as ServiceName[])) await p.startService(name);
    return p;
  }

  get xdsAddress(): string {
    return `127.0.0.1:${this.xdsPort}`;
  }

  get statusFile(): string {
    return path.join(this.work, "status.yaml");
  }

  /** Starts a service process and waits until its /readyz says ready. */
  async startService(name: ServiceName): Promise<void> {
    // A burst fires "kill" and "start" hooks without waiting for each other: a start may
    // come while the killed process has not exited yet.
    await this.stopping.get(name);
    if (this.running.has(name)) throw new Error(`${name} is already running`);
    const args = ["--nats", this.nats.url, "--health-port", String(this.healthPorts[name])];
    const env: Record<string, string> = { LOG_LEVEL: this.opts.logLevel ?? "info", NATS_URL: "" };
    if (name === "watcher" && this.opts.kubeconfig) {
      args.push("--provider", "kubernetes");
      env.KUBECONFIG = this.opts.kubeconfig;
    } else if (name === "watcher") args.push("--dir", this.dir, "--status-file", this.statusFile);
    if (name === "translator") args.push("--controller-name", this.opts.controllerName ?? E2E_CONTROLLER_NAME);
    if (name === "xds-server") args.push("--xds-port", String(this.xdsPort));
    if (name === "ingress-converter") args.push("--gateway-controller-name", this.opts.controllerName ?? E2E_CONTROLLER_NAME);
    args.push(...(this.opts.args?.[name] ?? []));
    const log = this.logs.get(name) ?? createWriteStream(path.join(this.work, `${name}.log`), { flags: "a" });
    this.logs.set(name, log);
    const child = spawnEntryPoint(`apps/${name}/src/main.ts`, args, env, log);
    this.running.set(name, child);
    let exitedEarly = false;
    child.once("exit", () => (exitedEarly = true));
    await waitUntil(
      async () => {
        if (exitedEarly) throw new Error(`${name} exited while starting:\n${this.logTail(name)}`);
        return this.ready(name);
      },
      `${name} to be ready`,
      60_000,
      50,
    );
  }

  async ready(name: ServiceName): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.healthPorts[name]}/readyz`);
      return res.status === 200;
    } catch {
      return false;
    }
  }

  async metrics(name: ServiceName): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.healthPorts[name]}/metrics`);
    return res.text();
  }

  /** SIGKILLs a service, as a node crash would. */
  kill9(name: ServiceName): Promise<void> {
    return this.end(name, (child) => terminate(child, 0, "SIGKILL"));
  }

  /** Stops a service with SIGTERM (graceful). */
  stop(name: ServiceName): Promise<void> {
    return this.end(name, (child) => terminate(child, 10_000));
  }

  /** The service is no longer running from now on; resolves once its process has exited. */
  private end(name: ServiceName, how: (child: ChildProcess) => Promise<void>): Promise<void> {
    const child = this.running.get(name);
    if (!child) return this.stopping.get(name) ?? Promise.resolve();
    this.running.delete(name);
    const gone = how(child).finally(() => {
      if (this.stopping.get(name) === gone) this.stopping.delete(name);
    });
    this.stopping.set(name, gone);
    return gone;
  }

  logTail(name: ServiceName, lines = 40): string {
    try {
      return readFileSync(path.join(this.work, `${name}.log`), "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.keys()].map((n) => this.stop(n)));
    for (const log of this.logs.values()) await new Promise<void>((r) => log.end(r));
    await this.nats.stop();
    rmSync(this.work, { recursive: true, force: true });
  }
}
