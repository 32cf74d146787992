// The watcher under test, started as it is deployed: the container image runs
// `node dist/watcher.mjs`, the esbuild bundle of deploy/docker/bundle.mjs, so its memory is
// measured without tsx's loader and on-the-fly transpiling (`tsx` runs the sources instead,
// for a quick run after a change without bundling).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT, spawnEntryPoint } from "@gatehouse/runtime";

export type WatcherRunner = "bundle" | "tsx";

/** Bundles the watcher into dist/bench (inside the repository, so its npm imports resolve from node_modules). */
export async function bundleWatcher(): Promise<string> {
  const outDir = path.join(REPO_ROOT, "dist", "bench");
  await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, "deploy/docker/bundle.mjs"), "--out", outDir, "watcher"], { cwd: REPO_ROOT });
  return path.join(outDir, "watcher.mjs");
}

/**
 * Node flags that profile the watcher into `dir` (BENCH_PROFILE): a CPU profile written at
 * exit, and a heap snapshot on SIGUSR2 (the scenario sends one once the sync has settled).
 */
export function profileFlags(dir: string | undefined): string[] {
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${dir}`] : [];
}

export interface WatcherLaunch {
  runner: WatcherRunner;
  /** The bundle (runner "bundle"). */
  bundle?: string;
  args: string[];
  env: Record<string, string>;
  /** Port the inspector listens on once activated by SIGUSR1 (inspector-gc.ts); not active before. */
  inspectPort: number;
  profileDir?: string;
}

export function startWatcher(w: WatcherLaunch): ChildProcess {
  const flags = [`--inspect-port=127.0.0.1:${w.inspectPort}`, ...profileFlags(w.profileDir)];
  if (w.runner === "tsx") return spawnEntryPoint("apps/watcher/src/main.ts", w.args, { ...w.env, NODE_OPTIONS: flags.join(" ") }, process.stderr);
  if (!w.bundle) throw new Error("bundle the watcher first (bundleWatcher)");
  const child = spawn(process.execPath, [...flags, w.bundle, ...w.args], { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: "production", ...w.env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(process.stderr, { end: false });
  child.stderr.pipe(process.stderr, { end: false });
  return child;
}
