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

export function startWatcher(runner: WatcherRunner, bundle: string | undefined, args: string[], env: Record<string, string>): ChildProcess {
  if (runner === "tsx") return spawnEntryPoint("apps/watcher/src/main.ts", args, env, process.stderr);
  if (!bundle) throw new Error("bundle the watcher first (bundleWatcher)");
  const child = spawn(process.execPath, [bundle, ...args], { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: "production", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(process.stderr, { end: false });
  child.stderr.pipe(process.stderr, { end: false });
  return child;
}
