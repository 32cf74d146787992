// A benchmark component in a child process (tsx), spoken to over Node's IPC channel:
// requests carry an id, replies echo it, and the child says "ready" once it serves.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A request without its id (kept a union: the Omit of a union would keep only common fields). */
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

export interface Child<In, Out> {
  call(m: In): Promise<Out>;
  ready: Promise<Out>;
}

/** `script` is relative to this folder, or a file URL (`new URL("./x.ts", import.meta.url)` from elsewhere). */
export function child<In extends { id: number }, Out extends { type: string; id?: number }>(script: string | URL, env: Record<string, string>): Child<WithoutId<In>, Out> {
  const proc: ChildProcess = fork(fileURLToPath(typeof script === "string" ? new URL(script, import.meta.url) : script), [], {
    execArgv: ["--import", "tsx", ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 0;
  const waiting = new Map<number, (m: Out) => void>();
  const ready = new Promise<Out>((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`${String(script)} exited with ${code}`)));
    proc.on("message", (m: Out) => {
      if (m.type === "ready") resolve(m);
      else if (m.id !== undefined) waiting.get(m.id)?.(m);
    });
  });
  return {
    ready,
    call: (m) =>
      new Promise((resolve) => {
        const id = ++nextId;
        waiting.set(id, (reply) => {
          waiting.delete(id);
          resolve(reply);
        });
        proc.send({ ...m, id });
      }),
  };
}
