// Graceful shutdown: on SIGTERM (Kubernetes), SIGINT (Ctrl-C), SIGHUP (a closed terminal)
// or, when started with GATEHOUSE_PARENT_PID, the death of that parent, close everything,
// in reverse start order, within a deadline; a second signal or the deadline forces exit.
import type { Logger } from "pino";
import type { ServiceRunner } from "./service";
import { watchParent } from "./parent-watch";

export interface ShutdownOptions {
  logger?: Logger;
  /** Whole-shutdown deadline (default 15 s). */
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
  /** Shut down when this parent process is gone (default: $GATEHOUSE_PARENT_PID, if set). */
  parentPid?: number;
  /** Called with the exit code instead of process.exit (tests). */
  exit?: (code: number) => void;
}

/** Runs `close` on the first signal, then exits 0 (clean) or 1; returns a function removing the handlers. */
export function onShutdown(close: () => Promise<boolean | void>, opts: ShutdownOptions = {}): () => void {
  const signals = opts.signals ?? ["SIGTERM", "SIGINT", "SIGHUP"];
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals | "parent exited") => {
    if (shuttingDown) {
      opts.logger?.warn({ signal }, "second signal: exiting now");
      exit(1);
      return;
    }
    shuttingDown = true;
    opts.logger?.info({ signal }, "shutting down");
    const timeout = opts.timeoutMs ?? 15_000;
    const timer = setTimeout(() => {
      opts.logger?.error({ timeoutMs: timeout }, "shutdown timed out: exiting");
      exit(1);
    }, timeout);
    timer.unref();
    close().then(
      (clean) => {
        clearTimeout(timer);
        exit(clean === false ? 1 : 0);
      },
      (err) => {
        clearTimeout(timer);
        opts.logger?.error({ err }, "shutdown failed");
        exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, handler);
  const stopWatching = watchParent((parentPid) => {
    opts.logger?.warn({ parentPid }, "the process that started this one is gone");
    handler("parent exited");
  }, opts.parentPid !== undefined ? { parentPid: opts.parentPid } : {});
  return () => {
    stopWatching();
    for (const s of signals) process.off(s, handler);
  };
}

/**
 * A service's main in one call: start the runner, close it on SIGTERM/SIGINT. If start
 * fails the process exits 1 after closing what had started.
 */
export async function runServices(runner: ServiceRunner, opts: ShutdownOptions = {}): Promise<void> {
  const remove = onShutdown(() => runner.close(), opts);
  try {
    await runner.start();
  } catch (err) {
    remove();
    opts.logger?.error({ err }, "start failed");
    (opts.exit ?? ((code: number) => process.exit(code)))(1);
  }
}
