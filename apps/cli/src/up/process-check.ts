// `gatehouse status` checks what up.json says is running: the `up` process, each service and
// the local nats-server's watchdog. A table read from the bus can look healthy long after
// the processes that wrote it died, so dead ones are said first. Pure but for `alive`.
import type { UpState } from "./up-state";

export interface ProcessCheck {
  /** False when `up` or any process it recorded is gone. */
  allAlive: boolean;
  lines: string[];
}

export function checkUpProcesses(state: UpState, alive: (pid: number) => boolean): ProcessCheck {
  const upAlive = alive(state.pid);
  const rows: { name: string; pid?: number; ok: boolean }[] = [{ name: "gatehouse up", pid: state.pid, ok: upAlive }];
  for (const s of state.services) rows.push({ name: s.name, pid: s.pid, ok: s.pid !== undefined && alive(s.pid) });
  if (state.natsPid !== undefined) rows.push({ name: "nats-server", pid: state.natsPid, ok: alive(state.natsPid) });
  const allAlive = rows.every((r) => r.ok);
  const lines = rows.map((r) => `  ${r.name.padEnd(13)} ${r.pid !== undefined ? `PID ${r.pid}` : "no PID"}  ${r.ok ? "running" : "NOT RUNNING"}`);
  if (!upAlive) {
    lines.unshift(`gatehouse up (PID ${state.pid}, started ${state.startedAt}) is not running; up.json is left from it. What follows may be stale.`);
  } else if (!allAlive) {
    lines.unshift("Some Gatehouse processes are not running (gatehouse up restarts services that exit):");
  } else {
    lines.unshift(`gatehouse up, PID ${state.pid}, started ${state.startedAt}:`);
  }
  return { allAlive, lines };
}
