// `gatehouse up` as a real process, for the tests that start it: the command through its
// bin script (as `npm start` runs it), its output collected, killed with SIGKILL if a test
// leaves it running; and waiting for what up.json says, with a deadline.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "@gatehouse/runtime";
import { readUpState, type UpState } from "../up/up-state";

const BIN = path.join(REPO_ROOT, "apps/cli/bin/gatehouse.js");
const started: ChildProcess[] = [];

export type UpProcess = ChildProcess & {
  output: () => string;
  exited: Promise<number | null>;
  /** Signals up's process group, as a terminal does on Ctrl-C (SIGINT) or when it closes (SIGHUP). */
  signalGroup: (signal: NodeJS.Signals) => void;
};

/**
 * Starts `gatehouse up ARGS --plain` with its own nats-server (NATS_URL unset) and `env` added,
 * leading a process group of its own as a shell's foreground job does.
 */
export function startUp(args: string[], env: Record<string, string> = {}): UpProcess {
  const childEnv = { ...process.env, ...env };
  delete childEnv.NATS_URL; // up starts its own nats-server (under the watchdog)
  const child = spawn(process.execPath, [BIN, "up", ...args, "--plain"], { cwd: REPO_ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  started.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return Object.assign(child, { output: () => out, exited, signalGroup: (signal: NodeJS.Signals) => process.kill(-child.pid!, signal) });
}

/** SIGKILLs every `up` a test started and left running (for afterEach). */
export function killStartedUps(): void {
  for (const p of started.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
}

/** Polls `probe` until it returns a value; fails naming `what` after `deadlineMs`. */
export async function waitForValue<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, deadlineMs: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > deadlineMs) throw new Error(`${what} not within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** up.json once `count` services and the nats-server have a PID. */
export const fullyStarted = (stateDir: string, count: number) => (): UpState | undefined => {
  const s = readUpState(stateDir);
  return s && s.natsPid && s.services.length === count && s.services.every((x) => x.pid) ? s : undefined;
};

/** Every PID up.json names: nats-server's watchdog and each service. */
export const pidsOf = (s: UpState): number[] => [s.natsPid!, ...s.services.map((x) => x.pid!)];
