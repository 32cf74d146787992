// Child processes that something starts side by side (the local nats-server of `gatehouse
// up`, the test fixture's nats-server, the services `gatehouse up` and the e2e tests run):
// starting a service, waiting until one logs that it is ready, and stopping one gracefully.
// One implementation, so the start and stop rules (settle once, kill what never got ready,
// SIGKILL after the grace period) are the same everywhere.
import { spawn, type ChildProcess } from "node:child_process";
import type { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { PARENT_PID_ENV } from "./parent-watch";

/** The repository root, where `node --import tsx` resolves tsx and the apps live. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Runs a TypeScript entry point of this repository (e.g. "apps/watcher/src/main.ts") under
 * tsx as its own process, as a Deployment would run the service; its stdout and stderr are
 * appended to `log` (left open: the caller may start the service again into it). A file
 * descriptor is given to the child as its stdout and stderr, so its output never depends on
 * this process: a child writing into the pipe of a parent that was killed can hang.
 * `ownProcessGroup`: the child gets a process group of its own, so a Ctrl-C in the terminal
 * reaches only this process, which then stops the child in order (a supervisor such as
 * `gatehouse up`); otherwise both signals land at once and the child's second one cuts its
 * graceful shutdown short.
 */
export function spawnEntryPoint(
  entry: string,
  args: string[],
  env: Record<string, string>,
  log: Writable | number,
  opts: { ownProcessGroup?: boolean } = {},
): ChildProcess {
  const out = typeof log === "number" ? log : "pipe";
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", out, out],
    detached: opts.ownProcessGroup ?? false,
  });
  if (typeof log !== "number") {
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
  }
  return child;
}

/**
 * Runs `program` (not a Node.js process, e.g. nats-server) under the watchdog of this
 * library, so that it stops when this process is gone, even after kill -9. The returned
 * process is the watchdog: its output is the program's, signalling it signals the program,
 * and it exits with the program's code. `removeWhenParentGone` (a temporary store) is deleted
 * once the program is gone, if it was stopped because this process is gone; otherwise this
 * process still owns it (it may restart the program on the same store). It runs in a process
 * group of its own: its life follows this process, not the terminal's Ctrl-C (which would
 * stop it before the services this process is still stopping are done with it).
 */
export function spawnTethered(program: string, args: string[], opts: { removeWhenParentGone?: string } = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "libs/runtime/src/watchdog-main.ts", program, ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      [PARENT_PID_ENV]: String(process.pid),
      ...(opts.removeWhenParentGone ? { GATEHOUSE_WATCHDOG_REMOVE: opts.removeWhenParentGone } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
}

/**
 * Resolves once the child prints `marker` on stdout or stderr; rejects (and SIGKILLs the
 * child) if it fails to spawn, exits first or stays silent for `timeoutMs`, with its output.
 */
export function waitForOutput(child: ChildProcess, marker: string, timeoutMs: number, what = "process"): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      // Keep draining the pipes so a chatty child never blocks on a full one.
      child.stdout?.resume();
      child.stderr?.resume();
      if (err) {
        child.kill("SIGKILL");
        reject(err);
      } else resolve();
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) settle();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (err) => settle(new Error(`${what} failed to start: ${err.message}`)));
    child.once("exit", (code, signal) => settle(new Error(`${what} exited (code ${code}, signal ${signal}) before it was ready:\n${output}`)));
    const timer = setTimeout(() => settle(new Error(`${what} was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function terminate(child: ChildProcess, graceMs: number, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
