// `gatehouse up` as real processes. On a folder: its five services come up; the bootstrap it
// writes points at the client certificate cert-manager wrote, with which a real gRPC xDS
// client connects over mTLS and receives the routes of an Ingress dropped into the folder
// (ingress-converter -> translator -> xds-server), while a client without a certificate is
// refused; a closed terminal (SIGHUP) stops everything like Ctrl-C. And however `up` ends
// (kill -9 included) its services and nats-server never outlive it; a second `up` in the same
// folder is refused; `status` shows up's services (ready, restarts) and says when `up` is gone.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "@gatehouse/runtime";
import { XdsTestClient } from "@gatehouse/testing";
import { TYPE_URLS, XDS_CLUSTER } from "@gatehouse/xds";
import { readUpState } from "../up/up-state";
import { processAlive } from "../up/up-lock";
import { captureRun } from "../testdata/capture-run";
import { fullyStarted, killStartedUps, pidsOf, startUp, waitForValue } from "../testdata/up-process";
import { run as status } from "./status";

const EXAMPLES = path.join(REPO_ROOT, "deploy/examples");
const FIXTURES = fileURLToPath(new URL("./testdata/up", import.meta.url));
/** The Gateway the ingress-converter generates for IngressClass "gatehouse". */
const INGRESS_GATEWAY = "gatehouse-system/gatehouse";
const dirs: string[] = [];
const clients: XdsTestClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  killStartedUps();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = (prefix: string) => {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

interface RouteConfigJson {
  virtual_hosts?: { domains?: string[]; routes?: { match?: { prefix?: string; path_separated_prefix?: string } }[] }[];
}

/** "domain path" of every route the client holds. */
function routesHeld(client: XdsTestClient): string[] {
  const out: string[] = [];
  for (const name of client.of(TYPE_URLS.route).keys()) {
    for (const vh of client.decoded<RouteConfigJson>(TYPE_URLS.route, name)?.virtual_hosts ?? []) {
      for (const r of vh.routes ?? []) for (const d of vh.domains ?? []) out.push(`${d} ${r.match?.path_separated_prefix ?? r.match?.prefix ?? ""}`);
    }
  }
  return out.sort();
}

/** The client credentials a bootstrap `up` wrote points at, read through its SDS files as Envoy would. */
function credentialsOf(bootstrapFile: string): { ca: Buffer; cert: Buffer; key: Buffer; certDir: string } {
  const b = parse(readFileSync(bootstrapFile, "utf8"));
  const tls = b.static_resources.clusters.find((c: { name: string }) => c.name === XDS_CLUSTER).transport_socket.typed_config.common_tls_context;
  const sds = (config: { sds_config: { path_config_source: { path: string } } }) => JSON.parse(readFileSync(config.sds_config.path_config_source.path, "utf8")).resources[0];
  const certificate = sds(tls.tls_certificate_sds_secret_configs[0]).tls_certificate;
  const validation = sds(tls.combined_validation_context.validation_context_sds_secret_config).validation_context;
  return {
    cert: readFileSync(certificate.certificate_chain.filename),
    key: readFileSync(certificate.private_key.filename),
    ca: readFileSync(validation.trusted_ca.filename),
    certDir: tls.tls_certificate_sds_secret_configs[0].sds_config.path_config_source.watched_directory.path,
  };
}

describe("gatehouse up lifecycle", () => {
  it("on a folder: mTLS xDS with cert-manager's client certificate, an Ingress becomes routes, a client without certificate is refused; SIGHUP stops everything", async () => {
    const stateDir = tempDir("gatehouse-up-");
    const watched = tempDir("gatehouse-up-folder-");
    copyFileSync(path.join(FIXTURES, "00-ingress-class.yaml"), path.join(watched, "00-ingress-class.yaml"));
    const up = startUp(["--dir", watched, "--state-dir", stateDir, "--xds-port", "0"]);
    const state = await waitForValue("up.json with every PID", fullyStarted(stateDir, 5), 90_000);
    expect(state.services.map((s) => s.name)).toEqual(["cert-manager", "watcher", "ingress-converter", "translator", "xds-server"]);
    expect(state.xdsTls).toEqual({ certDir: path.join(stateDir, "pki/envoy-client"), sdsDir: path.join(stateDir, "bootstrap/sds") });

    copyFileSync(path.join(FIXTURES, "ingress.yaml.in"), path.join(watched, "ingress.yaml"));
    const bootstrap = await waitForValue("the bootstrap of the Ingress's Gateway", () => readUpState(stateDir)?.bootstraps[INGRESS_GATEWAY], 120_000);
    const node = parse(readFileSync(bootstrap, "utf8")).node as { id: string; cluster: string };
    expect(node.cluster).toBe(INGRESS_GATEWAY);
    // cert-manager writes the files once it has issued; the bootstrap may be written first.
    const files = await waitForValue("cert-manager's client certificate", () => (existsSync(path.join(stateDir, "pki/envoy-client/tls.key")) ? credentialsOf(bootstrap) : undefined), 60_000);
    expect(files.certDir).toBe(path.join(stateDir, "pki/envoy-client"));

    const connect = (id: string, tls: { ca: Buffer; cert?: Buffer; key?: Buffer }, autoReconnect: boolean) => {
      const c = XdsTestClient.connect(state.xdsAddress, { id, cluster: node.cluster }, {
        protocol: "delta",
        autoReconnect,
        tls,
        channelOptions: { "grpc.initial_reconnect_backoff_ms": 250, "grpc.max_reconnect_backoff_ms": 1_000 },
      });
      clients.push(c);
      c.subscribe(TYPE_URLS.listener);
      c.subscribe(TYPE_URLS.route, ["*"]);
      return c;
    };
    const proxy = connect(node.id, files, true);
    await proxy.waitFor((c) => routesHeld(c).includes("shop.example.com /shop"), 120_000, "the Ingress's route over mTLS");
    // (It may have been refused a connection before the xds-server listened: it retries like Envoy.)
    expect(proxy.connected).toBe(true);

    const stranger = connect("no-certificate", { ca: files.ca }, false);
    await stranger.waitFor((c) => !c.connected && c.lastStreamError !== undefined, 30_000, "the refusal of a client without certificate");
    expect(stranger.resources.size === 0 || [...stranger.resources.values()].every((m) => m.size === 0)).toBe(true);

    // The table shows the converted route, accepted, and every service ready.
    await waitForValue("the route and ready services in the table", () => {
      const frame = up.output().split("\n--- ").pop() ?? "";
      return /HTTPRoute shop\/\S+\s+gatehouse-system\/gatehouse\S*\s+True\s+True/.test(frame) && !/^\S+\s+(\d+|-)\s+(no|down|starting)/m.test(frame) ? true : undefined;
    }, 60_000);

    // `gatehouse status`, outside up: up's service table, each service ready, none restarted.
    const r = await captureRun(status, ["--state-dir", stateDir, "--timeout", "10"]);
    expect(r.code).toBe(0);
    for (const name of ["cert-manager", "watcher", "ingress-converter", "translator", "xds-server"]) expect(r.out).toMatch(new RegExp(`^${name}\\s+\\d+\\s+yes\\s+0$`, "m"));

    up.signalGroup("SIGHUP");
    expect(await up.exited).toBe(0);
    expect(up.output()).toContain("SIGHUP: stopping Gatehouse...");
    for (const pid of pidsOf(readUpState(stateDir) ?? state)) expect(processAlive(pid)).toBe(false);
    expect(existsSync(path.join(stateDir, "up.json"))).toBe(false);
    expect(existsSync(path.join(stateDir, "up.lock"))).toBe(false);
  }, 300_000);

  it("kill -9 of up: its services and nats-server exit by themselves; a second up meanwhile is refused; status says up is gone", async () => {
    const stateDir = tempDir("gatehouse-up-");
    // --insecure: four services are enough to show it, on a loaded machine.
    const up = startUp(["--dir", EXAMPLES, "--state-dir", stateDir, "--xds-port", "0", "--insecure"]);
    const state = await waitForValue("up.json with every PID", fullyStarted(stateDir, 4), 90_000);
    expect(state.pid).toBe(up.pid);

    const second = startUp(["--dir", EXAMPLES, "--state-dir", stateDir, "--insecure"]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`gatehouse up: already running in this folder (PID ${up.pid}`);

    up.kill("SIGKILL");
    for (const pid of pidsOf(state)) await waitForValue(`exit of PID ${pid}`, () => (processAlive(pid) ? undefined : true), 30_000);

    const r = await captureRun(status, ["--state-dir", stateDir, "--timeout", "2"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`gatehouse up (PID ${up.pid}`);
    expect(r.out).toContain("is not running");
  }, 180_000);
});
