import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FileSecretSink } from "./secret-sink";

describe("FileSecretSink", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "secret-sink-"));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lays files out like a mounted Secret and swaps them all at once", async () => {
    const sink = new FileSecretSink(path.join(dir, "envoy"));
    expect(await sink.read()).toBeUndefined();
    await sink.write({ "tls.crt": "c1", "tls.key": "k1", "ca.crt": "a1" });
    await sink.write({ "tls.crt": "c2", "tls.key": "k2" });
    expect(await sink.read()).toEqual({ "tls.crt": "c2", "tls.key": "k2" });
    const root = path.join(dir, "envoy");
    expect(readFileSync(path.join(root, "tls.crt"), "utf8")).toBe("c2");
    expect(lstatSync(path.join(root, "tls.crt")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(root, "tls.crt"))).toBe(path.join("..data", "tls.crt"));
    // One version folder, the ..data link, the names: no leftovers of the first write.
    expect(readdirSync(root).filter((e) => e.startsWith("..")).length).toBe(2);
    expect(readdirSync(root).includes("ca.crt")).toBe(false);
    expect(statSync(path.join(root, "tls.key")).mode & 0o077).toBe(0);
  });

  it("leaves the folder alone when the data is what it already holds (no reload for Envoy)", async () => {
    const sink = new FileSecretSink(path.join(dir, "same"));
    await sink.write({ "tls.crt": "c1" });
    const version = readlinkSync(path.join(dir, "same", "..data"));
    await sink.write({ "tls.crt": "c1" });
    expect(readlinkSync(path.join(dir, "same", "..data"))).toBe(version);
    await sink.write({ "tls.crt": "c2" });
    expect(readlinkSync(path.join(dir, "same", "..data"))).not.toBe(version);
  });
});
