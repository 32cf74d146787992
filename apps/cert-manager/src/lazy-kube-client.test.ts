// Standalone mode never loads @kubernetes/client-node (it costs tens of MiB and start-up
// time that folders do not need): cert-manager's real entry point runs under a module hook
// that records every module it resolves. The Kubernetes run is the control: the same hook
// does see the client there, so the test can fail.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureBus } from "@gatehouse/bus";
import { freePort } from "@gatehouse/runtime";
import { startNatsServer, waitFor, type NatsServerHandle } from "@gatehouse/testing";
import { connect } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = path.resolve(__dirname, "../../..");
const HOOK = path.join(__dirname, "testdata/record-loads.mjs");

function run(args: string[], loadsFile: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", HOOK, "apps/cert-manager/src/main.ts", ...args], {
    cwd: REPO,
    env: { ...process.env, NATS_URL: "", ...env, RECORD_LOADS_FILE: loadsFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, exited, output: () => output };
}

describe("cert-manager's module graph", () => {
  let nats: NatsServerHandle;
  let dir: string;

  beforeAll(async () => {
    nats = await startNatsServer({ forceSpawn: true });
    // The buckets exist before any service starts (the watcher or the install makes them).
    const nc = await connect({ servers: nats.url });
    await ensureBus(nc);
    await nc.close();
    dir = mkdtempSync(path.join(tmpdir(), "cert-manager-loads-"));
  }, 30_000);
  afterAll(async () => {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const loaded = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);

  it("with --secret-store file, serves without loading @kubernetes/client-node or libs/kube-client", async () => {
    const port = await freePort();
    const loads = path.join(dir, "file-mode.txt");
    const p = run(["--nats", nats.url, "--health-port", String(port), "--ca-dir", path.join(dir, "ca"), "--envoy-client-dir", path.join(dir, "envoy")], loads);
    try {
      await waitFor(
        "cert-manager ready",
        async () => {
          if (p.child.exitCode !== null) throw new Error(`cert-manager exited:\n${p.output()}`);
          return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200;
        },
        60_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${p.output()}`);
      });
    } finally {
      p.child.kill("SIGTERM");
      await p.exited;
    }
    const urls = loaded(loads);
    // The hook saw the service itself: an empty record would prove nothing.
    expect(urls.some((u) => u.endsWith("/apps/cert-manager/src/wiring/cert-manager-service.ts"))).toBe(true);
    expect(urls.filter((u) => u.includes("@kubernetes/client-node") || u.includes("/libs/kube-client/"))).toEqual([]);
  }, 90_000);

  it("with --secret-store kubernetes, does load it (the control)", async () => {
    const loads = path.join(dir, "kube-mode.txt");
    // No kubeconfig anywhere: it loads the client, fails to configure it, and exits 2.
    const p = run(["--nats", nats.url, "--secret-store", "kubernetes"], loads, { KUBECONFIG: path.join(dir, "no-such-kubeconfig"), KUBERNETES_SERVICE_HOST: "", HOME: dir });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain("--secret-store kubernetes");
    expect(loaded(loads).some((u) => u.includes("@kubernetes/client-node"))).toBe(true);
  }, 90_000);
});
