// Which files of a folder are manifests, once, for the watcher's folder and `-f DIR`:
// *.yaml, *.yml and *.json, recursively, in path order, never inside dot-folders (.git,
// editor and tool state) or node_modules, never dot-files (editor swap files).
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";

export const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Whether a file or folder name is left out of a manifest folder. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith(".") || name === "node_modules";
}

/** Whether a path under `root` (or root itself) lies in an ignored file or folder. */
export function isIgnoredPath(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  if (rel === "") return false;
  return rel.split(path.sep).some(isIgnoredName);
}

/** The manifest files under a folder, full paths in path order (the order the duplicate rule uses). */
export async function listManifestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (isIgnoredName(e.name)) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && MANIFEST_FILE.test(e.name)) out.push(full);
    }
  };
  await walk(dir);
  return out.sort();
}

export interface ManifestInputs {
  /** In reading order: the -f arguments in order, a folder's files in path order. */
  files: { source: string; text: string }[];
  /** Paths that could not be read, or folders without a manifest file. */
  errors: string[];
}

/** Reads the -f arguments of a command: files, folders (see listManifestFiles) and "-" for stdin. Unreadable paths are reported, never thrown. */
export async function readManifestInputs(paths: readonly string[], stdin: () => Promise<string> = readStdin): Promise<ManifestInputs> {
  const out: ManifestInputs = { files: [], errors: [] };
  for (const p of paths) {
    if (p === "-") {
      out.files.push({ source: "-", text: await stdin() });
      continue;
    }
    try {
      const st = await stat(p);
      if (!st.isDirectory()) {
        out.files.push({ source: p, text: await readFile(p, "utf8") });
        continue;
      }
      const files = await listManifestFiles(p);
      if (files.length === 0) out.errors.push(`${p}: no manifest files (*.yaml, *.yml, *.json) in this folder`);
      for (const file of files) out.files.push({ source: file, text: await readFile(file, "utf8") });
    } catch (err) {
      out.errors.push(`${p}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`);
    }
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
