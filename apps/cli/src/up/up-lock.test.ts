import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireUpLock, processAlive, upLockFile } from "./up-lock";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The PID of a process that has exited. */
function deadPid(): number {
  const p = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(p.stdout.toString());
}

describe("up lock", () => {
  it("the first up takes the lock; a second one is refused with the first one's PID", () => {
    dir = mkdtempSync(path.join(tmpdir(), "gatehouse-lock-"));
    const first = acquireUpLock(dir);
    expect(first.ok).toBe(true);
    expect(readFileSync(upLockFile(dir), "utf8")).toBe(`${process.pid}\n`);
    // Another process (the parent of this test runner is alive) holding it:
    writeFileSync(upLockFile(dir), `${process.ppid}\n`);
    expect(acquireUpLock(dir)).toEqual({ ok: false, pid: process.ppid });
  });

  it("a lock left by an up that died is stale and taken over", () => {
    dir = mkdtempSync(path.join(tmpdir(), "gatehouse-lock-"));
    const pid = deadPid();
    expect(processAlive(pid)).toBe(false);
    writeFileSync(upLockFile(dir), `${pid}\n`);
    const lock = acquireUpLock(dir);
    expect(lock).toMatchObject({ ok: true, staleFrom: pid });
    if (lock.ok) lock.release();
    expect(existsSync(upLockFile(dir))).toBe(false);
  });

  it("release leaves a lock that is not ours", () => {
    dir = mkdtempSync(path.join(tmpdir(), "gatehouse-lock-"));
    const lock = acquireUpLock(dir);
    writeFileSync(upLockFile(dir), `${process.ppid}\n`);
    if (lock.ok) lock.release();
    expect(readFileSync(upLockFile(dir), "utf8")).toBe(`${process.ppid}\n`);
  });
});
