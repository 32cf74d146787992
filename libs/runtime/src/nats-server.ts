// The one nats-server launcher: `gatehouse up` runs it for standalone mode and the test
// fixture of libs/testing wraps it. JetStream on a free port of 127.0.0.1, a temporary store
// removed by stop(); restart() keeps port and store, kill9() leaves the store as a crash
// would. A port taken between probing and binding is retried on a fresh port. With
// `tethered`, the server runs under the watchdog (spawnTethered), so it stops, and its
// temporary folder goes, when the launching process is gone, even after kill -9.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnTethered, terminate, waitForOutput } from "./child-process";
import { freePort } from "./ports";

export interface NatsServerOptions {
  /** The nats-server binary (default: nats-server on PATH). */
  binary?: string;
  /** Server max_payload in bytes (nats-server default: 1 MiB). */
  maxPayload?: number;
  /** Extra lines for the server configuration file. */
  extraConfig?: string;
  /** How long to wait for the server to accept connections (default 15 s). */
  startTimeoutMs?: number;
  /** Prefix of the temporary folder (config and store). */
  tmpPrefix?: string;
  /**
   * Run under the watchdog, tied to this process's life (`gatehouse up`). pid is then the
   * watchdog's, and kill9() is refused: a SIGKILLed watchdog cannot stop its nats-server.
   */
  tethered?: boolean;
}

export interface NatsServerProcess {
  /** nats://127.0.0.1:<port> */
  url: string;
  port: number;
  /** JetStream store directory. */
  storeDir: string;
  /** PID of the running server (0 while stopped). */
  readonly pid: number;
  /** Stops the server gracefully and removes its temporary folder. */
  stop(): Promise<void>;
  /** Stops the server (if running) and starts it again on the same port with the same store. */
  restart(): Promise<void>;
  /** SIGKILLs the server, leaving its store as a crash would; restart() brings it back. */
  kill9(): Promise<void>;
}

/** Thrown by launchNatsServer when the binary cannot be run; callers word the install hint for their users. */
export class NatsServerMissingError extends Error {
  constructor(readonly binary: string) {
    super(`${binary} is not on PATH`);
  }
}

function natsServerInstalled(binary = "nats-server"): boolean {
  return !spawnSync(binary, ["--version"], { stdio: "ignore" }).error;
}

export async function launchNatsServer(opts: NatsServerOptions = {}): Promise<NatsServerProcess> {
  const binary = opts.binary ?? "nats-server";
  if (!natsServerInstalled(binary)) throw new NatsServerMissingError(binary);
  const dir = mkdtempSync(join(tmpdir(), opts.tmpPrefix ?? "gatehouse-nats-"));
  const storeDir = join(dir, "store");
  let port = await freePort();
  let child: ChildProcess | undefined;
  let started = false;

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
    // A restart must keep its port, so it only retries the same one.
    for (let attempt = 0; ; attempt++) {
      try {
        const args = ["-js", "-c", writeConfig()];
        child = opts.tethered
          ? spawnTethered(binary, args, { removeWhenParentGone: dir })
          : spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
        await waitForOutput(child, "Server is ready", opts.startTimeoutMs ?? 15_000, "nats-server");
        return;
      } catch (err) {
        child?.kill("SIGKILL");
        child = undefined;
        const portTaken = /address already in use/i.test(String(err));
        if (!portTaken || attempt >= 4) throw err;
        if (!started) port = await freePort();
        else await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    child = undefined;
    if (c) await terminate(c, 10_000, signal);
  };

  try {
    await launch();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  started = true;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get pid() {
      return child?.pid ?? 0;
    },
    stop: async () => {
      await halt("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await halt("SIGTERM");
      await launch();
    },
    kill9: async () => {
      if (opts.tethered) throw new Error("kill9() is not available for a tethered nats-server: it would orphan the server");
      await halt("SIGKILL");
    },
  };
}
