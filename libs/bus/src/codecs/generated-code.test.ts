// src/gen is generated from proto/gatehouse/bus/v1 and committed; this fails when a .proto
// changed without `npm run generate` (in libs/bus), or when src/gen was edited by hand.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const LIB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BUF = path.resolve(LIB, "../../node_modules/.bin/buf");

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

describe("generated bus schemas (src/gen)", () => {
  const out = mkdtempSync(path.join(tmpdir(), "bus-gen-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("are what buf + protoc-gen-es generate from proto/ now", () => {
    execFileSync(BUF, ["generate", "--template", "buf.gen.yaml", "-o", out], { cwd: LIB, stdio: "pipe" });
    const fresh = path.join(out, "src/gen");
    const committed = path.join(LIB, "src/gen");
    expect(files(committed)).toEqual(files(fresh));
    for (const f of files(fresh)) expect(readFileSync(path.join(committed, f), "utf8"), f).toBe(readFileSync(path.join(fresh, f), "utf8"));
  });
});
