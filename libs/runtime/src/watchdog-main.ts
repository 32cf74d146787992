// A tether for a program that cannot watch its parent itself (nats-server): runs it as a
// child, passes SIGTERM, SIGINT and SIGHUP on as SIGTERM, and stops it when the process
// named in GATEHOUSE_PARENT_PID is gone (see parent-watch.ts), SIGKILL after a grace
// period. Then, if the parent was gone, removes GATEHOUSE_WATCHDOG_REMOVE (a temporary
// store; a living parent owns it and may restart on it) and exits with the program's code. Started by spawnTethered; usage: watchdog-main.ts <program> [args...]
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { watchParent } from "./parent-watch";

const GRACE_MS = 10_000;
const [program, ...args] = process.argv.slice(2);
if (!program) {
  process.stderr.write("watchdog: usage: watchdog-main.ts <program> [args...]\n");
  process.exit(2);
}

const child = spawn(program, args, { stdio: ["ignore", "inherit", "inherit"] });
let stopping = false;
let parentGone = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  child.kill("SIGTERM");
  setTimeout(() => child.kill("SIGKILL"), GRACE_MS).unref();
};
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, stop);
watchParent(() => {
  parentGone = true;
  stop();
});

const cleanup = () => {
  const dir = process.env.GATEHOUSE_WATCHDOG_REMOVE;
  if (dir && parentGone) rmSync(dir, { recursive: true, force: true });
};
child.once("error", (err) => {
  process.stderr.write(`watchdog: ${program} failed to start: ${err.message}\n`);
  cleanup();
  process.exit(127);
});
child.once("exit", (code, signal) => {
  cleanup();
  process.exit(code ?? (signal === "SIGTERM" || signal === "SIGINT" ? 0 : 1));
});
