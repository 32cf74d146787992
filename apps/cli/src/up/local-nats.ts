// A nats-server with JetStream for standalone mode: a free port on 127.0.0.1 and a
// temporary store that is removed on stop. Used only when NATS_URL is not set.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@gatehouse/runtime";

export interface LocalNats {
  url: string;
  storeDir: string;
  pid: number;
  stop(): Promise<void>;
}

export const NATS_MISSING_MESSAGE = [
  "gatehouse up: nats-server was not found on PATH.",
  "Gatehouse's services talk over NATS JetStream; standalone mode starts a local nats-server.",
  "Install it, then run `npm start` again:",
  "  Debian/Ubuntu:  sudo apt-get install nats-server",
  "  macOS:          brew install nats-server",
  "  Go:             go install github.com/nats-io/nats-server/v2@latest",
  "  Binaries:       https://github.com/nats-io/nats-server/releases",
  "Or point Gatehouse at a running server with JetStream: NATS_URL=nats://host:4222 npm start",
].join("\n");

export class NatsMissingError extends Error {
  constructor() {
    super(NATS_MISSING_MESSAGE);
  }
}

export function natsServerInstalled(binary = "nats-server"): boolean {
  const probe = spawnSync(binary, ["--version"], { stdio: "ignore" });
  return !probe.error;
}

export async function startLocalNats(opts: { binary?: string; timeoutMs?: number } = {}): Promise<LocalNats> {
  const binary = opts.binary ?? "nats-server";
  if (!natsServerInstalled(binary)) throw new NatsMissingError();
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-up-nats-"));
  const port = await freePort();
  const child = spawn(binary, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    await waitReady(child, opts.timeoutMs ?? 15_000);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    storeDir: dir,
    pid: child.pid ?? 0,
    stop: async () => {
      await terminate(child, 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

function waitReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const done = (err?: Error) => {
      clearTimeout(timer);
      child.stdout?.removeAllListeners("data");
      child.stderr?.removeAllListeners("data");
      child.stdout?.resume();
      child.stderr?.resume();
      if (err) {
        child.kill("SIGKILL");
        reject(err);
      } else resolve();
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Server is ready")) done();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (err) => done(new Error(`nats-server failed to start: ${err.message}`)));
    child.once("exit", (code) => done(new Error(`nats-server exited with code ${code} before it was ready:\n${output}`)));
    const timer = setTimeout(() => done(new Error(`nats-server was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
  });
}
