// Real processes: a parent starts a child that watches it, the test kills the parent with
// SIGKILL (no chance to clean up) and the child must be gone within a deadline.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parentPidFromEnv, PARENT_PID_ENV } from "./parent-watch";
import { REPO_ROOT } from "./child-process";

const here = path.dirname(fileURLToPath(import.meta.url));
const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) p.kill("SIGKILL");
});

/** A Node.js process running `code` as an ES module with tsx (so it can import this library). */
function nodeModule(code: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  started.push(child);
  return child;
}

function firstLine(child: ChildProcess, prefix: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no "${prefix}" line within ${timeoutMs} ms: ${out}`)), timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith(prefix));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(prefix.length).trim());
      }
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, deadlineMs: number): Promise<number> {
  const t0 = Date.now();
  while (alive(pid)) {
    if (Date.now() - t0 > deadlineMs) throw new Error(`process ${pid} still alive after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

describe("parent watch", () => {
  it("reads the parent PID from GATEHOUSE_PARENT_PID, ignoring junk", () => {
    expect(parentPidFromEnv({ [PARENT_PID_ENV]: "1234" })).toBe(1234);
    expect(parentPidFromEnv({ [PARENT_PID_ENV]: "x" })).toBeUndefined();
    expect(parentPidFromEnv({})).toBeUndefined();
  });

  it("a service (onShutdown) shuts down cleanly when its parent is killed with SIGKILL", async () => {
    const shutdown = JSON.stringify(path.join(here, "shutdown.ts"));
    const child = `import { onShutdown } from ${shutdown};
      // Nothing printed after the parent died: its stdout went to the parent.
      onShutdown(async () => {}, { exit: (code) => process.exit(code) });
      setInterval(() => {}, 1000); console.log("ready");`;
    const parent = nodeModule(`import { spawn } from "node:child_process";
      const c = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", ${JSON.stringify(child)}],
        { env: { ...process.env, ${PARENT_PID_ENV}: String(process.pid) }, stdio: ["ignore", "pipe", "inherit"] });
      c.stdout.on("data", (d) => { if (String(d).includes("ready")) console.log("child " + c.pid); });
      setInterval(() => {}, 1000);`);
    const childPid = Number(await firstLine(parent, "child "));
    expect(alive(childPid)).toBe(true);
    parent.kill("SIGKILL");
    await gone(childPid, 10_000);
  }, 40_000);

  it("the watchdog stops a program that is not Node.js, and removes its store, when the parent is killed", async () => {
    const store = mkdtempSync(path.join(tmpdir(), "gatehouse-watchdog-"));
    const childProcess = JSON.stringify(path.join(here, "child-process.ts"));
    const parent = nodeModule(`import { spawnTethered } from ${childProcess};
      const w = spawnTethered("sleep", ["300"], { removeWhenParentGone: ${JSON.stringify(store)} });
      console.log("watchdog " + w.pid); setInterval(() => {}, 1000);`);
    const watchdogPid = Number(await firstLine(parent, "watchdog "));
    // The program is the watchdog's child; wait until it runs.
    let sleepPid = 0;
    const t0 = Date.now();
    while (!sleepPid && Date.now() - t0 < 20_000) {
      try {
        sleepPid = Number(execFileSync("ps", ["-o", "pid=", "--ppid", String(watchdogPid)]).toString().trim().split("\n")[0]) || 0;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(sleepPid).toBeGreaterThan(0);
    parent.kill("SIGKILL");
    await gone(sleepPid, 10_000);
    await gone(watchdogPid, 10_000);
    expect(existsSync(store)).toBe(false);
  }, 60_000);
});
