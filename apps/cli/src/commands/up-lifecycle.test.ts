// `gatehouse up` as real processes: its services and its nats-server never outlive it,
// however it ends (kill -9 included); a second `up` in the same folder is refused; a
// closed terminal (SIGHUP) stops everything like Ctrl-C; `status` says when `up` is gone.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { REPO_ROOT } from "@gatehouse/runtime";
import { readUpState, type UpState } from "../up/up-state";
import { processAlive } from "../up/up-lock";
import { run as status } from "./status";

const BIN = path.join(REPO_ROOT, "apps/cli/bin/gatehouse.js");
const EXAMPLES = path.join(REPO_ROOT, "deploy/examples");
const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill("SIGKILL");
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function startUp(stateDir: string): ChildProcess & { output: () => string } {
  const env = { ...process.env };
  delete env.NATS_URL; // up starts its own nats-server (under the watchdog)
  const child = spawn(process.execPath, [BIN, "up", "--dir", EXAMPLES, "--state-dir", stateDir, "--xds-port", "0", "--plain"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  procs.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  return Object.assign(child, { output: () => out });
}

async function waitFor<T>(what: string, probe: () => T | undefined, deadlineMs: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > deadlineMs) throw new Error(`${what} not within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** up.json once every service and the nats-server have a PID. */
const fullyStarted = (stateDir: string) => () => {
  const s = readUpState(stateDir);
  return s && s.natsPid && s.services.length === 3 && s.services.every((x) => x.pid) ? s : undefined;
};

const pidsOf = (s: UpState) => [s.natsPid!, ...s.services.map((x) => x.pid!)];

describe("gatehouse up lifecycle", () => {
  it("kill -9 of up: its services and nats-server exit by themselves; a second up meanwhile is refused; status says up is gone", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "gatehouse-up-"));
    dirs.push(stateDir);
    const up = startUp(stateDir);
    const state = await waitFor("up.json with every PID", fullyStarted(stateDir), 60_000);
    expect(state.pid).toBe(up.pid);

    const second = startUp(stateDir);
    const code = await new Promise<number | null>((resolve) => second.once("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(second.output()).toContain(`gatehouse up: already running in this folder (PID ${up.pid}`);

    up.kill("SIGKILL");
    for (const pid of pidsOf(state)) await waitFor(`exit of PID ${pid}`, () => (processAlive(pid) ? undefined : true), 20_000);

    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((c) => ((out += String(c)), true));
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await status(["--state-dir", stateDir, "--timeout", "2"])).toBe(1);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
    expect(out).toContain(`gatehouse up (PID ${up.pid}`);
    expect(out).toContain("is not running");
  }, 120_000);

  it("SIGHUP (terminal closed) stops up and everything it started, and frees the folder", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "gatehouse-up-"));
    dirs.push(stateDir);
    const up = startUp(stateDir);
    const state = await waitFor("up.json with every PID", fullyStarted(stateDir), 60_000);
    const exited = new Promise<number | null>((resolve) => up.once("exit", (c) => resolve(c)));
    up.kill("SIGHUP");
    expect(await exited).toBe(0);
    expect(up.output()).toContain("SIGHUP: stopping Gatehouse...");
    for (const pid of pidsOf(state)) expect(processAlive(pid)).toBe(false);
    expect(existsSync(path.join(stateDir, "up.json"))).toBe(false);
    expect(existsSync(path.join(stateDir, "up.lock"))).toBe(false);
  }, 120_000);
});
