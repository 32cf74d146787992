import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { certificateInfo, createCa, privateKeyPem } from "@gatehouse/pki";
import { afterAll, describe, expect, it } from "vitest";
import { loadCaState, saveCaState, trustedCas, type CaState } from "./ca-store";
import { FileSecretSink } from "./secret-sink";

const HOUR = 3600_000;
const T0 = Date.parse("2026-06-01T00:00:00Z");

describe("CA store", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ca-store-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const [oldest, older, current, next] = [0, 1, 2, 3].map((i) => createCa({ now: T0 + i * HOUR, validityMs: 8 * HOUR }));

  it("keeps several retired CAs with their moments across a restart, and the bundle in order", async () => {
    const sink = new FileSecretSink(path.join(dir, "round-trip"));
    const state: CaState = {
      current: current!,
      next: { ca: next!, trustedSince: T0 + 3 * HOUR },
      retired: [
        { certPem: older!.certPem, notAfter: certificateInfo(older!.certPem).notAfter, leavesEndBy: T0 + 7 * HOUR, unusedSince: T0 + 3 * HOUR },
        { certPem: oldest!.certPem, notAfter: certificateInfo(oldest!.certPem).notAfter, leavesEndBy: T0 + 6 * HOUR },
      ],
    };
    await saveCaState(sink, state);
    const loaded = await loadCaState(sink);
    expect(loaded!.retired).toEqual(state.retired);
    expect(loaded!.next!.trustedSince).toBe(T0 + 3 * HOUR);
    expect(trustedCas(loaded!)).toEqual([current!.certPem, next!.certPem, older!.certPem, oldest!.certPem]);
    // Certificates only: the retired CAs' keys are not kept.
    expect((await sink.read())!["retired-cas.json"]).not.toContain("PRIVATE KEY");
  });

  it("reads the single previous CA of an older store as retired, its leaves bounded only by its own end", async () => {
    const sink = new FileSecretSink(path.join(dir, "legacy"));
    await sink.write({ "ca.crt": current!.certPem, "ca.key": privateKeyPem(current!.key), "previous-ca.crt": older!.certPem });
    const notAfter = certificateInfo(older!.certPem).notAfter;
    expect((await loadCaState(sink))!.retired).toEqual([{ certPem: older!.certPem, notAfter, leavesEndBy: notAfter }]);
  });

  it("reports a damaged list of retired CAs instead of forgetting them", async () => {
    const sink = new FileSecretSink(path.join(dir, "damaged"));
    const base = { "ca.crt": current!.certPem, "ca.key": privateKeyPem(current!.key) };
    await sink.write({ ...base, "retired-cas.json": "{}" });
    await expect(loadCaState(sink)).rejects.toThrow("retired-cas.json is not a list");
    await sink.write({ ...base, "retired-cas.json": JSON.stringify([{ certPem: older!.certPem, leavesEndBy: "soon" }]) });
    await expect(loadCaState(sink)).rejects.toThrow('retired-cas.json[0].leavesEndBy is not a date: "soon"');
  });
});
