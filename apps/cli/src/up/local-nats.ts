// A nats-server with JetStream for standalone mode: a free port on 127.0.0.1 and a
// temporary store that is removed on stop. Used only when NATS_URL is not set. It runs under
// libs/runtime's watchdog (spawnTethered), so it stops, and its store goes, when `gatehouse
// up` is gone, even after kill -9 (nats-server cannot watch its parent itself).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, spawnTethered, terminate, waitForOutput } from "@gatehouse/runtime";

export interface LocalNats {
  url: string;
  storeDir: string;
  /** The watchdog's PID (nats-server is its only child). */
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
  const child = spawnTethered(binary, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir], { removeOnExit: dir });
  try {
    await waitForOutput(child, "Server is ready", opts.timeoutMs ?? 15_000, "nats-server");
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
