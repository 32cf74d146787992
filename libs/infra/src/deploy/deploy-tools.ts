// Test support for the deploy/ checks: the repository's deploy folder copied to a
// temporary directory with fresh credentials, `kubectl kustomize` of an overlay, and
// whether the tools these need are installed.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../../..");
export const DEPLOY_DIR = path.join(REPO_ROOT, "deploy");

export function hasTool(name: string, versionArgs: string[]): boolean {
  return spawnSync(name, versionArgs, { stdio: "ignore" }).status === 0;
}

const created: string[] = [];

/** A temporary directory that removeTemporaryDirs() deletes. */
export function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Deletes every directory temporaryDir() made (they hold test keys). */
export function removeTemporaryDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** deploy/ copied (without any local credentials) with generate-credentials.sh run in the copy. */
export function deployCopyWithCredentials(): string {
  const dir = temporaryDir("gatehouse-deploy-");
  cpSync(DEPLOY_DIR, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}credentials`) });
  execFileSync("bash", [path.join(dir, "generate-credentials.sh")], { stdio: "ignore" });
  return dir;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export function kustomize(dir: string): KubeObject[] {
  const out = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(out).map((d) => d.toJS() as KubeObject);
}
