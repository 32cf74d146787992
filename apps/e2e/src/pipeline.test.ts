// The pipeline end to end: manifests written into the watched folder reach a real xDS
// client through the watcher, NATS, the translator and the xds-server, each a real
// process; and the config converges to exactly what an undisturbed run produces when the
// translator, the xds-server or the nats-server dies in the middle of a burst of changes.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { XdsTestClient } from "@gatehouse/testing";
import { assertNeverOlder, runBurst } from "./harness/burst";
import { GATEWAY, writeBase, writeRoute } from "./harness/manifests";
import { E2E_CONTROLLER_NAME, Pipeline } from "./harness/pipeline";
import { expectedEntries } from "./harness/reference";
import { waitUntil } from "./harness/wait";
import { configDigest, digestOf, explainMismatch, followLikeEnvoy, routePaths } from "./harness/xds-view";

const BURST = { files: 20, changes: 1_000 };
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs `gatehouse status --nats URL` as a user would and returns what it printed. */
function gatehouseStatus(natsUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["apps/cli/bin/gatehouse.js", "status", "--nats", natsUrl], { cwd: REPO_ROOT, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`gatehouse status failed: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe("pipeline end to end", () => {
  let p: Pipeline;
  let client: XdsTestClient;

  beforeAll(async () => {
    p = await Pipeline.start({ logLevel: "warn" });
    writeBase(p.dir);
    client = followLikeEnvoy(p.xdsAddress, GATEWAY);
  });
  afterAll(async () => {
    client?.close();
    await p?.close();
  });

  const converged = async (what: string) => {
    const entries = expectedEntries(p.dir, GATEWAY, E2E_CONTROLLER_NAME);
    const want = digestOf(entries);
    try {
      await waitUntil(() => configDigest(client) === want, what, 60_000);
    } catch (err) {
      // Say what differs and what the services logged: a hang here is otherwise opaque.
      const logs = (["watcher", "translator", "xds-server"] as const).map((s) => `--- ${s} log tail ---\n${p.logTail(s, 15)}`).join("\n");
      throw new Error(`${(err as Error).message}\n${explainMismatch(client, entries)}\n${logs}`);
    }
  };
  const clearRoutes = (prefix: string) => {
    for (let i = 0; i < BURST.files; i++) rmSync(path.join(p.dir, `route-${prefix}${i}.yaml`), { force: true });
  };

  it("delivers manifests to the xDS client and follows edits, broken files and deletes", async () => {
    writeRoute(p.dir, "a", 1);
    await waitUntil(() => [...routePaths(client).values()].includes("/a/v1"), "route /a/v1 at the client");
    expect(client.of("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment").size).toBeGreaterThan(0);

    writeRoute(p.dir, "a", 2);
    await waitUntil(() => [...routePaths(client).values()].includes("/a/v2"), "edited route /a/v2");
    expect([...routePaths(client).values()]).not.toContain("/a/v1");

    // A broken file is reported and withdraws nothing; its objects stay until it parses.
    const digestBefore = configDigest(client);
    writeFileSync(path.join(p.dir, "route-a.yaml"), "apiVersion: gateway.networking.k8s.io/v1\nkind: [oops");
    await waitUntil(() => (p.statusFile && existsSync(p.statusFile) ? true : false), "status file");
    await waitUntil(async () => (await p.metrics("watcher")).includes("gatehouse_watcher_file_errors 1"), "file error reported");
    expect(configDigest(client)).toBe(digestBefore);
    writeRoute(p.dir, "a", 3);
    await waitUntil(() => [...routePaths(client).values()].includes("/a/v3"), "fixed route /a/v3");

    // Statuses come back to the file the watcher writes.
    await waitUntil(() => readFileSync(p.statusFile, "utf8").includes("name: a"), "route status in the status file");
    expect(readFileSync(p.statusFile, "utf8")).toMatch(/type: Accepted\s+status: "True"/);

    // `gatehouse status` shows the Gateway, its attached route and the connected proxy.
    const status = await gatehouseStatus(p.nats.url);
    expect(status).toMatch(/default\/eg\s+e2e\s+http:8080\(1\)\s+1\s+True\s+True\s+1/);
    expect(status).toMatch(/e2e-envoy\s+default\/eg/);

    rmSync(path.join(p.dir, "route-a.yaml"));
    await waitUntil(() => ![...routePaths(client).values()].some((v) => v.startsWith("/a/")), "deleted route gone");
    await converged("config identical to a direct translation");
  });

  /**
   * A burst of route edits with a disruption in the middle; then the client must hold what
   * an undisturbed run gives, the final version of every route, and never an older one.
   */
  const burstThrough = async (prefix: string, what: string, at: NonNullable<Parameters<typeof runBurst>[0]["at"]>) => {
    const { finalVersion, pending } = await runBurst({ dir: p.dir, prefix, ...BURST, at });
    await Promise.all(pending);
    await converged(`config after the ${what}`);
    const paths = [...routePaths(client).values()];
    for (const [name, v] of finalVersion) expect(paths).toContain(`/${name}/v${v}`);
    expect(assertNeverOlder(client, prefix)).toBeGreaterThan(0);
  };

  it("converges to the undisturbed config when the translator is killed -9 mid-burst", async () => {
    await burstThrough("t", "translator restart", { 300: () => p.kill9("translator"), 600: () => p.startService("translator") });
    clearRoutes("t");
  });

  it("converges when the xds-server is killed -9 mid-burst and the client reconnects", async () => {
    const streamsBefore = client.stats.streamsOpened;
    await burstThrough("x", "xds-server restart", { 300: () => p.kill9("xds-server"), 600: () => p.startService("xds-server") });
    expect(client.stats.streamsOpened).toBeGreaterThan(streamsBefore);
    clearRoutes("x");
  });

  it("converges when the nats-server is killed -9 and restarted mid-burst", async () => {
    await burstThrough("n", "nats-server restart", { 300: () => p.nats.kill9(), 500: () => p.nats.restart() });
    for (const s of ["watcher", "translator", "xds-server"] as const) expect(await p.ready(s)).toBe(true);
  });
});
