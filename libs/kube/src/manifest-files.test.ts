import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isIgnoredPath, listManifestFiles, readManifestInputs } from "./manifest-files";

const root = mkdtempSync(path.join(tmpdir(), "kube-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(rel: string, text = "") {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

describe("manifest folders", () => {
  file("b.yaml");
  file("a/x.yml");
  file("a-b.json");
  file("notes.txt");
  file(".swap.yaml");
  file(".git/config.yaml");
  file("node_modules/pkg/crd.yaml");
  file("sub/.hidden/y.yaml");

  it("lists YAML and JSON files in path order, leaving out dot-files, dot-folders and node_modules", async () => {
    const files = (await listManifestFiles(root)).map((f) => path.relative(root, f));
    expect(files).toEqual(["a-b.json", "a/x.yml", "b.yaml"]);
  });

  it("tells ignored paths apart", () => {
    expect(isIgnoredPath(root, root)).toBe(false);
    expect(isIgnoredPath(root, path.join(root, "node_modules", "a.yaml"))).toBe(true);
    expect(isIgnoredPath(root, path.join(root, "sub", ".hidden"))).toBe(true);
    expect(isIgnoredPath(root, path.join(root, "sub", "a.yaml"))).toBe(false);
  });

  it("reads -f arguments in order and reports missing paths and folders without manifests", async () => {
    mkdirSync(path.join(root, "empty"));
    const inputs = await readManifestInputs([path.join(root, "b.yaml"), "-", path.join(root, "missing.yaml"), path.join(root, "empty")], async () => "stdin text");
    expect(inputs.files).toEqual([{ source: path.join(root, "b.yaml"), text: "" }, { source: "-", text: "stdin text" }]);
    expect(inputs.errors).toEqual([
      `${path.join(root, "missing.yaml")}: no such file or directory`,
      `${path.join(root, "empty")}: no manifest files (*.yaml, *.yml, *.json) in this folder`,
    ]);
  });
});
