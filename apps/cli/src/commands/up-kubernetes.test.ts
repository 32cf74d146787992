// `gatehouse up --provider kubernetes` against the Kubernetes API test server (the real
// client and protocol, through a KUBECONFIG file with a plain http:// server, as `kubectl
// proxy` gives): no folder; a Gateway created through the API shows in the status table, gets
// a bootstrap and its status written back (by a watcher that leads its own --lease-name while
// an installed Gatehouse holds the default Lease, which it leaves alone); Ctrl-C (SIGINT to the terminal's process group)
// stops every service gracefully, through up alone, and leaves no process behind.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import { KubeApiTestServer } from "@gatehouse/testing";
import { XDS_CLUSTER } from "@gatehouse/xds";
import { readUpState } from "../up/up-state";
import { processAlive } from "../up/up-lock";
import { captureRun } from "../testdata/capture-run";
import { fullyStarted, killStartedUps, pidsOf, startUp, waitForValue } from "../testdata/up-process";
import { run } from "./up";

const GW = "gateway.networking.k8s.io";
let api: KubeApiTestServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  api = await KubeApiTestServer.start({ bookmarkIntervalMs: 1_000 });
  for (const [kind, plural, namespaced] of [["GatewayClass", "gatewayclasses", false], ["Gateway", "gateways", true], ["HTTPRoute", "httproutes", true]] as const) {
    api.registerResource({ group: GW, version: "v1", kind, plural, namespaced, statusSubresource: true, custom: true });
  }
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-up-kube-"));
  kubeconfig = path.join(dir, "kubeconfig");
  // No insecure-skip-tls-verify: plain http:// as `kubectl proxy` serves it.
  writeFileSync(kubeconfig, api.kubeconfigYaml({ plainHttpFlag: false }));
});
afterEach(() => killStartedUps());
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("gatehouse up --provider kubernetes", () => {
  it("runs against the cluster of KUBECONFIG: a Gateway created through the API gets a row, a bootstrap and its status; Ctrl-C stops every process gracefully", async () => {
    const stateDir = path.join(dir, "state");
    // --insecure keeps the process count down; mTLS is proven on the file provider.
    // A Gatehouse installed in the cluster holds the default Lease and renews it.
    const now = new Date().toISOString().replace("Z", "000Z");
    const installed = api.create({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { namespace: "default", name: "gatehouse-watcher" },
      spec: { holderIdentity: "gatehouse-watcher-in-cluster", leaseDurationSeconds: 3600, acquireTime: now, renewTime: now },
    });
    const up = startUp(["--provider", "kubernetes", "--state-dir", stateDir, "--xds-port", "0", "--insecure", "--lease-name", "gatehouse-watcher-local"], {
      KUBECONFIG: kubeconfig,
      KUBERNETES_SERVICE_HOST: "",
    });
    const state = await waitForValue("up.json with every PID", fullyStarted(stateDir, 4), 90_000);
    expect(state.provider).toBe("kubernetes");
    expect(state.dir).toBeUndefined();
    // up.json is written just before the header; the pipe may deliver the header a moment later.
    await waitForValue("the header", () => (up.output().includes(`Kubernetes API: ${api.url} (from KUBECONFIG, namespace default)`) ? true : undefined), 30_000);

    api.create({ apiVersion: `${GW}/v1`, kind: "GatewayClass", metadata: { name: "gatehouse" }, spec: { controllerName: DEFAULT_CONTROLLER_NAME } });
    api.create({
      apiVersion: `${GW}/v1`,
      kind: "Gateway",
      metadata: { namespace: "default", name: "edge" },
      spec: { gatewayClassName: "gatehouse", listeners: [{ name: "http", port: 8080, protocol: "HTTP" }] },
    });
    const bootstrap = await waitForValue("the Gateway's bootstrap", () => readUpState(stateDir)?.bootstraps["default/edge"], 120_000);
    const b = parse(readFileSync(bootstrap, "utf8"));
    expect(b.node.cluster).toBe("default/edge");
    // --insecure: plaintext to the xds-server.
    expect(b.static_resources.clusters.find((c: { name: string }) => c.name === XDS_CLUSTER).transport_socket).toBeUndefined();
    await waitForValue("the Gateway accepted in the table", () => (/^default\/edge\s+gatehouse\s+http:8080\(0\)\s+0\s+True/m.test(up.output()) ? true : undefined), 60_000);
    // The watcher holds the Lease and writes the translator's status back to the API server.
    await waitForValue(
      "the Gateway's status on the API server",
      () => {
        const conditions = (api.get(`${GW}/v1`, "Gateway", "default", "edge")?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
        return conditions?.some((c) => c.type === "Accepted" && c.status === "True") ? true : undefined;
      },
      60_000,
    );

    // It led its own Lease; the installed one's is as it was.
    expect((api.get("coordination.k8s.io/v1", "Lease", "default", "gatehouse-watcher-local")?.spec as { holderIdentity?: string }).holderIdentity).toBeTruthy();
    expect(api.get("coordination.k8s.io/v1", "Lease", "default", "gatehouse-watcher")?.metadata.resourceVersion).toBe(installed.metadata.resourceVersion);

    const current = readUpState(stateDir) ?? state;
    // Ctrl-C: the terminal signals the whole foreground group; only up may act on it.
    up.signalGroup("SIGINT");
    expect(await up.exited).toBe(0);
    expect(up.output()).toContain("SIGINT: stopping Gatehouse...");
    for (const pid of pidsOf(current)) expect(processAlive(pid), `PID ${pid}`).toBe(false);
    // Each service got one SIGTERM from up and shut down gracefully, none a second signal.
    for (const s of current.services) expect(readFileSync(s.log, "utf8"), s.name).not.toContain("second signal");
    expect(existsSync(path.join(stateDir, "up.json"))).toBe(false);
  }, 240_000);

  it("refuses what cannot work before starting anything: no kubeconfig, a folder, a Lease name without a cluster, an unknown provider", async () => {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = path.join(dir, "missing-kubeconfig");
    try {
      const r = await captureRun(run, ["--provider", "kubernetes", "--state-dir", path.join(dir, "never")]);
      expect(r).toMatchObject({ code: 1, out: "" });
      expect(r.err).toBe(`gatehouse up: --provider kubernetes: KUBECONFIG names no readable file: ${process.env.KUBECONFIG}\n`);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
    expect(await captureRun(run, ["--provider", "kubernetes", "--dir", dir])).toMatchObject({ code: 2, err: expect.stringContaining("--dir is for the file provider") });
    expect(await captureRun(run, ["--lease-name", "mine", "--dir", dir])).toMatchObject({ code: 2, err: expect.stringContaining("--lease-name is for --provider kubernetes") });
    expect(await captureRun(run, ["--provider", "consul"])).toMatchObject({ code: 2, err: expect.stringContaining('--provider must be one of file, kubernetes, got "consul"') });
    expect(existsSync(path.join(dir, "never"))).toBe(false);
  });
});
