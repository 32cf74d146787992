// Reads the -f arguments of CLI commands: files, directories (recursively, YAML and JSON
// files in name order) and "-" for stdin. Unreadable paths are reported, never thrown.
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";

export interface ManifestInputs {
  files: { name: string; text: string }[];
  errors: string[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export async function readManifestInputs(paths: string[]): Promise<ManifestInputs> {
  const out: ManifestInputs = { files: [], errors: [] };
  for (const p of paths) {
    if (p === "-") {
      out.files.push({ name: "-", text: await readStdin() });
      continue;
    }
    try {
      const st = await stat(p);
      if (st.isDirectory()) {
        for (const file of await listManifests(p)) out.files.push({ name: file, text: await readFile(file, "utf8") });
      } else {
        out.files.push({ name: p, text: await readFile(p, "utf8") });
      }
    } catch (err) {
      out.errors.push(`${p}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`);
    }
  }
  return out;
}

async function listManifests(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listManifests(full)));
    else if (MANIFEST_FILE.test(e.name)) out.push(full);
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
