// Runs one Gatehouse service as its own child process, as a Kubernetes Deployment would:
// restarted with back-off when it dies, its log written to a file so the terminal stays
// free for the status table, and stopped with SIGTERM (SIGKILL after a grace period).
// The service writes its log file itself (not through a pipe to `up`), so it keeps working,
// and can shut down, after `up` is killed.
import type { ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { spawnEntryPoint, terminate } from "@gatehouse/runtime";

export interface ServiceSpec {
  name: string;
  /** Entry point relative to the repository root, e.g. "apps/watcher/src/main.ts". */
  entry: string;
  args: string[];
  env: Record<string, string>;
  logFile: string;
}

export interface ServiceState {
  name: string;
  pid: number | undefined;
  restarts: number;
  lastExit?: string;
}

export class ServiceProcess {
  private child: ChildProcess | undefined;
  /** The log file, opened once; each run of the service writes to it directly. */
  private readonly logFd: number;
  private logClosed = false;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  readonly state: ServiceState;

  constructor(
    private readonly spec: ServiceSpec,
    private readonly onExit: (state: ServiceState) => void = () => {},
    private readonly onStart: (state: ServiceState) => void = () => {},
  ) {
    this.logFd = openSync(spec.logFile, "a");
    this.state = { name: spec.name, pid: undefined, restarts: 0 };
  }

  start(): void {
    // Its own process group: a Ctrl-C reaches `up` alone, which stops the services in order.
    const child = spawnEntryPoint(this.spec.entry, this.spec.args, this.spec.env, this.logFd, { ownProcessGroup: true });
    this.child = child;
    this.state.pid = child.pid;
    this.onStart(this.state);
    child.once("exit", (code, signal) => {
      this.state.pid = undefined;
      this.state.lastExit = signal ? `signal ${signal}` : `code ${code}`;
      if (this.stopping) return;
      this.onExit(this.state);
      // Back off like a crash-looping pod: 0.5 s, 1 s, 2 s ... capped at 10 s.
      const delay = Math.min(10_000, 500 * 2 ** Math.min(this.state.restarts, 5));
      this.state.restarts++;
      this.restartTimer = setTimeout(() => this.start(), delay);
    });
  }

  async stop(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    if (this.child) await terminate(this.child, graceMs);
    if (!this.logClosed) closeSync(this.logFd);
    this.logClosed = true;
  }
}
