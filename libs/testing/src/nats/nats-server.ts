// A real nats-server with JetStream for integration tests: its own free port, its own
// temporary store, stopped (and the store removed) by stop(). restart() and kill9() let
// tests take the server away under a live client. NATS_URL points tests at an external
// server instead (then nothing is spawned and restart/kill9 are unavailable).

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, terminate, waitForOutput } from "@gatehouse/runtime";

export interface NatsServerOptions {
  /** Server max_payload in bytes (nats-server default: 1 MiB). */
  maxPayload?: number;
  /** Extra lines for the server configuration file. */
  extraConfig?: string;
  /** Ignore NATS_URL and always spawn a server (tests that restart it need that). */
  forceSpawn?: boolean;
  /** How long to wait for the server to accept connections. */
  startTimeoutMs?: number;
}

export interface NatsServerHandle {
  /** nats://127.0.0.1:<port> (or NATS_URL). */
  url: string;
  port: number;
  /** JetStream store directory ("" for an external server). */
  storeDir: string;
  /** False when NATS_URL pointed at an external server. */
  spawned: boolean;
  /** Stops the server gracefully and removes its temporary directory. */
  stop(): Promise<void>;
  /** Stops the server (if running) and starts it again on the same port with the same store. */
  restart(): Promise<void>;
  /** SIGKILLs the server, leaving its store as a crash would; restart() brings it back. */
  kill9(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts a nats-server with JetStream on a free port of 127.0.0.1 and waits until it is ready. */
export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const external = process.env.NATS_URL;
  if (external && !opts.forceSpawn) return externalServer(external);

  ensureNatsServerInstalled();
  installExitHook();

  const dir = mkdtempSync(join(tmpdir(), "gatehouse-nats-"));
  const storeDir = join(dir, "store");
  let port = await freePort();
  let child: ChildProcess | undefined;

  const writeConfig = (): string => {
    const file = join(dir, "nats.conf");
    const lines = [
      `listen: "127.0.0.1:${port}"`,
      `jetstream { store_dir: ${JSON.stringify(storeDir)} }`,
      opts.maxPayload !== undefined ? `max_payload: ${opts.maxPayload}` : "",
      opts.extraConfig ?? "",
    ];
    writeFileSync(file, lines.join("\n") + "\n");
    return file;
  };

  const launch = async (): Promise<void> => {
    // A free port can be taken between probing and binding; try a few ports on first start.
    // A restart must keep its port, so it only retries the same one.
    for (let attempt = 0; ; attempt++) {
      try {
        child = await spawnServer(writeConfig(), opts.startTimeoutMs ?? 15_000);
        return;
      } catch (err) {
        const portTaken = /address already in use/i.test(String(err));
        if (!portTaken || attempt >= 4) throw err;
        if (!handle.url) port = await freePort();
        else await delay(200);
      }
    }
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c) return;
    await terminate(c, 10_000, signal);
  };

  const handle: NatsServerHandle = {
    url: "",
    port: 0,
    storeDir,
    spawned: true,
    stop: async () => {
      await halt("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await halt("SIGTERM");
      await launch();
    },
    kill9: async () => {
      await halt("SIGKILL");
    },
  };
  try {
    await launch();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  handle.port = port;
  handle.url = `nats://127.0.0.1:${port}`;
  return handle;
}

function externalServer(url: string): NatsServerHandle {
  const unavailable = (what: string) => async () => {
    throw new Error(`${what} is not possible: NATS_URL=${url} points at an external server (unset NATS_URL to let the test spawn one)`);
  };
  const port = Number(new URL(url.replace(/^nats:/, "http:")).port || 4222);
  return {
    url,
    port,
    storeDir: "",
    spawned: false,
    stop: async () => {},
    restart: unavailable("restart()"),
    kill9: unavailable("kill9()"),
  };
}

function ensureNatsServerInstalled(): void {
  const probe = spawnSync("nats-server", ["--version"], { encoding: "utf8" });
  if (probe.error) {
    throw new Error(
      "nats-server is not on PATH. Integration tests need a real NATS server with JetStream: " +
        "install it (https://docs.nats.io/running-a-nats-service/introduction/installation, e.g. " +
        "`go install github.com/nats-io/nats-server/v2@latest` or a release binary) or set " +
        "NATS_URL=nats://host:port to use a running server started with -js.",
    );
  }
}

/** Spawns nats-server and resolves once it logs that it is ready; rejects with its output otherwise. */
async function spawnServer(configFile: string, timeoutMs: number): Promise<ChildProcess> {
  const child = spawn("nats-server", ["-js", "-c", configFile], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  await waitForOutput(child, "Server is ready", timeoutMs, "nats-server");
  return child;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test run that dies without afterAll must not leave servers behind.
  process.once("exit", () => {
    for (const c of running) c.kill("SIGKILL");
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
