import { mkdtempSync, rmSync, writeFileSync, renameSync, unlinkSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@gatehouse/testing";
import { FileProvider } from "./file-provider";
import { FolderWatcher } from "./folder-watcher";

const svc = (name: string, port = 80) =>
  `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: default }\nspec: { ports: [{ port: ${port} }] }\n`;

describe("FolderWatcher with FileProvider", () => {
  let dir = "";
  let watcher: FolderWatcher | undefined;
  afterEach(async () => {
    await watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("follows files added, changed, renamed, broken, fixed and deleted", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "watcher-test-"));
    mkdirSync(path.join(dir, "sub"));
    writeFileSync(path.join(dir, "a.yaml"), `${svc("a")}---\n${svc("b")}`);
    writeFileSync(path.join(dir, "sub", "c.yml"), svc("c"));
    writeFileSync(path.join(dir, "notes.txt"), "not a manifest");
    const provider = new FileProvider();
    const published = new Map<string, string>();
    watcher = new FolderWatcher({
      dir,
      batchMs: 20,
      rescanMs: 100,
      onError: (err) => {
        throw err;
      },
      onBatch: (events) => {
        if (process.env.DEBUG_WATCH) console.log(events.map((e) => `${e.path}:${e.text === null ? "gone" : e.text.length}`));
        for (const c of provider.apply(events).changes) {
          if (c.op === "put") published.set(c.id, c.hash);
          else published.delete(c.id);
        }
      },
    });
    await watcher.start();
    expect([...published.keys()].sort()).toEqual(["Service/default/a", "Service/default/b", "Service/default/c"]);

    writeFileSync(path.join(dir, "a.yaml"), svc("a", 8080));
    await waitFor("b withdrawn", () => !published.has("Service/default/b"), 10_000, 10);
    expect(published.get("Service/default/a")).toContain("8080");

    renameSync(path.join(dir, "a.yaml"), path.join(dir, "z.yaml"));
    await waitFor("the renamed and nested files", () => provider.paths().join() === "sub/c.yml,z.yaml", 10_000, 10);
    expect(published.size).toBe(2);
    expect(published.has("Service/default/a")).toBe(true);

    writeFileSync(path.join(dir, "z.yaml"), "apiVersion: v1\nkind: [");
    await waitFor("the file error", () => provider.fileErrors().length === 1, 10_000, 10);
    expect(published.has("Service/default/a")).toBe(true);

    writeFileSync(path.join(dir, "z.yaml"), svc("d"));
    await waitFor("d published", () => published.has("Service/default/d"), 10_000, 10);
    expect(published.has("Service/default/a")).toBe(false);
    expect(provider.fileErrors()).toEqual([]);

    unlinkSync(path.join(dir, "sub", "c.yml"));
    await waitFor("c withdrawn", () => !published.has("Service/default/c"), 10_000, 10);
    expect([...published.keys()]).toEqual(["Service/default/d"]);
  });
});
