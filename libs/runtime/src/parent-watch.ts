// Processes that must not outlive the process that started them (the services and the
// nats-server `gatehouse up` runs): the parent puts its PID in GATEHOUSE_PARENT_PID, and the
// child checks process.ppid against it every half second. When the parent dies, however it
// died (Ctrl-C, a closed terminal, kill -9), the kernel re-parents the child and its ppid
// changes, so the child shuts down within about a second. Polling ppid needs no cooperation
// from the parent (a pipe would need stdin), and a reused PID cannot fool it: the child's
// ppid never changes back.
export const PARENT_PID_ENV = "GATEHOUSE_PARENT_PID";

export interface ParentWatchOptions {
  /** The PID to watch (default: $GATEHOUSE_PARENT_PID; nothing is watched without one). */
  parentPid?: number;
  intervalMs?: number;
}

/** The watched parent's PID from the environment, or undefined when none is set. */
export function parentPidFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[PARENT_PID_ENV];
  if (raw === undefined || raw === "") return undefined;
  const pid = Number(raw);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Calls `onGone` once when this process's parent is no longer `parentPid`. Returns a
 * function that stops watching. The timer never keeps the process alive by itself.
 */
export function watchParent(onGone: (parentPid: number) => void, opts: ParentWatchOptions = {}): () => void {
  const parentPid = opts.parentPid ?? parentPidFromEnv();
  if (parentPid === undefined) return () => {};
  const check = () => {
    if (process.ppid === parentPid) return;
    clearInterval(timer);
    onGone(parentPid);
  };
  const timer = setInterval(check, opts.intervalMs ?? 500);
  timer.unref();
  // Started by a parent that is already gone: say so at once.
  queueMicrotask(check);
  return () => clearInterval(timer);
}
