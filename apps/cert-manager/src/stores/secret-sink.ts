// Where cert-manager keeps what must not touch the bus: the CA key, and the Envoy client
// certificate with its key. A SecretSink is one Kubernetes-Secret-shaped map of file names
// to contents. Standalone mode writes a folder (here); Kubernetes mode writes Secrets
// (kubernetes-secret-sink.ts).
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

export interface SecretSink {
  /** For logs: where it is (never its content). */
  readonly description: string;
  /** The current data, or undefined when nothing was ever written. */
  read(): Promise<Record<string, string> | undefined>;
  /**
   * Replaces the whole data at once: a reader sees the old set or the new set, never a mix.
   * Writing what is already there changes nothing (no new version for Envoy to reload).
   */
  write(data: Record<string, string>): Promise<void>;
}

/** Secrets cert-manager is to fill do not exist: an install problem, reported by name. */
export class SecretMissingError extends Error {
  constructor(readonly namespaces: readonly string[], readonly secretName: string) {
    const names = namespaces.map((ns) => `${ns}/${secretName}`).join(", ");
    super(
      `${namespaces.length === 1 ? `Secret ${names} does not exist` : `Secrets ${names} do not exist`}; cert-manager may not create Secrets, so each must be created empty first (deploy/base, or the watcher for a Gateway namespace)`,
    );
    this.name = "SecretMissingError";
  }
}

const DATA_LINK = "..data";

/** Whether two Secret data maps hold the same files. */
export function sameData(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
}

/**
 * A folder laid out as the kubelet lays out a mounted Secret: the files live in a
 * timestamped directory, `..data` is a symlink to it, and each name is a symlink through
 * `..data`. Replacing `..data` with one rename swaps every file at once, which is what
 * Envoy's SDS `watched_directory` expects. Files are readable by the owner only.
 */
export class FileSecretSink implements SecretSink {
  constructor(readonly dir: string) {}

  get description(): string {
    return `folder ${this.dir}`;
  }

  async read(): Promise<Record<string, string> | undefined> {
    let target: string;
    try {
      target = await readlink(path.join(this.dir, DATA_LINK));
    } catch {
      return undefined;
    }
    const dataDir = path.join(this.dir, target);
    const out: Record<string, string> = {};
    for (const name of await readdir(dataDir)) out[name] = await readFile(path.join(dataDir, name), "utf8");
    return out;
  }

  async write(data: Record<string, string>): Promise<void> {
    if (sameData(await this.read(), data)) return;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const version = `..${new Date().toISOString().replace(/[:.]/g, "_")}.${randomBytes(4).toString("hex")}`;
    const versionDir = path.join(this.dir, version);
    await mkdir(versionDir, { mode: 0o700 });
    for (const [name, content] of Object.entries(data)) {
      if (name.includes("/") || name.startsWith(".")) throw new Error(`bad secret file name ${JSON.stringify(name)}`);
      await writeFile(path.join(versionDir, name), content, { mode: 0o600 });
    }
    const tmpLink = path.join(this.dir, `${DATA_LINK}_tmp`);
    await rm(tmpLink, { force: true });
    await symlink(version, tmpLink);
    await rename(tmpLink, path.join(this.dir, DATA_LINK));
    for (const name of Object.keys(data)) {
      const link = path.join(this.dir, name);
      const wanted = path.join(DATA_LINK, name);
      const current = await readlink(link).catch(() => undefined);
      if (current === wanted) continue;
      await rm(link, { force: true });
      await symlink(wanted, link);
    }
    // Earlier versions and names no longer present.
    for (const entry of await readdir(this.dir)) {
      const stale = (entry.startsWith("..") && entry !== DATA_LINK && entry !== version) || (!entry.startsWith(".") && !(entry in data));
      if (stale) await rm(path.join(this.dir, entry), { recursive: true, force: true });
    }
  }
}
