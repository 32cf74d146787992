// One `gatehouse up` per state folder: .gatehouse/up.lock holds the running one's PID,
// created with O_EXCL so two starting at once cannot both win. A lock whose PID is no longer
// alive is stale (its `up` was killed before it could remove it) and is taken over.
import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";

export type UpLock = { ok: true; staleFrom?: number; release(): void } | { ok: false; pid: number };

export function upLockFile(stateDir: string): string {
  return path.join(stateDir, "up.lock");
}

export function acquireUpLock(stateDir: string, pid = process.pid): UpLock {
  mkdirSync(stateDir, { recursive: true });
  const file = upLockFile(stateDir);
  let staleFrom: number | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${pid}\n`, { flag: "wx" });
      return {
        ok: true,
        ...(staleFrom !== undefined ? { staleFrom } : {}),
        release: () => {
          // Only our own lock: never delete the lock of an `up` that took over a stale one.
          if (readLockPid(file) === pid) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = readLockPid(file);
    if (holder !== undefined && holder !== pid && processAlive(holder)) return { ok: false, pid: holder };
    staleFrom = holder;
    rmSync(file, { force: true });
  }
  throw new Error(`could not take ${file}: another gatehouse up is starting in ${stateDir}`);
}

function readLockPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when a process with this PID exists (EPERM: it exists but is not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
