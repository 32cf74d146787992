// cert-manager in Kubernetes mode: the CA key and the Envoy client certificate in Secrets of
// the Kubernetes API test server, a real nats-server for the bus.
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { BucketStore, encodeKey, ensureBus } from "@gatehouse/bus";
import { ENVOY_CLIENT_CERT_SECRET } from "@gatehouse/infra";
import { KubeApiTestServer, startNatsServer, waitFor, type NatsServerHandle } from "@gatehouse/testing";
import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { register } from "prom-client";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { certManagerConfig } from "../config";
import { secretSinksFor } from "../stores/secret-sinks";
import { CertManagerService } from "./cert-manager-service";

const HOUR = 3600_000;
const NS = "gatehouse";

describe("cert-manager with Kubernetes Secrets", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let api: KubeApiTestServer;
  let dir: string;
  let kubeconfig: string;
  let logText: string[];
  const services: CertManagerService[] = [];

  beforeAll(async () => {
    server = await startNatsServer({ forceSpawn: true });
    nc = await connect({ servers: server.url });
    await ensureBus(nc);
    api = await KubeApiTestServer.start();
    dir = mkdtempSync(path.join(tmpdir(), "cert-manager-kube-"));
    kubeconfig = path.join(dir, "kubeconfig");
    writeFileSync(kubeconfig, api.kubeconfigYaml({ namespace: NS }));
  }, 30_000);

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    logText = [];
    api.clearFailures();
    for (const s of api.list("v1", "Secret")) api.delete("v1", "Secret", s.metadata.namespace!, s.metadata.name!);
    // What the install (deploy/base) and the watcher create: empty Secrets.
    for (const [namespace, name] of [[NS, "gatehouse-ca"], [NS, ENVOY_CLIENT_CERT_SECRET], ["team-a", ENVOY_CLIENT_CERT_SECRET]]) {
      api.create({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name, namespace } });
    }
    const kv = await nc.jetstream().views.kv("certs", { bindOnly: true });
    // Keys first, purges after: purging while the key lister runs makes it stop early.
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    for (const k of keys) await kv.purge(k);
    api.resetRequestCounts();
  });

  afterEach(async () => {
    for (const s of services.splice(0)) await s.close();
    const resources = await BucketStore.open(nc, "resources");
    for (const k of await resources.keys()) await resources.delete(k);
    expect(logText.length).toBeGreaterThan(0);
    expect(logText.filter((t) => t.includes("PRIVATE KEY"))).toEqual([]);
  });

  async function service(...argv: string[]): Promise<CertManagerService> {
    const config = certManagerConfig.parse({ argv: ["--secret-store", "kubernetes", ...argv], env: {} });
    const logger = pino({ level: "debug" }, new Writable({ write: (chunk, _enc, cb) => (logText.push(String(chunk)), cb()) }));
    const s = new CertManagerService({
      nc,
      logger,
      ...(await secretSinksFor(config, { KUBECONFIG: kubeconfig })),
      propagationDelayMs: 0,
      retryBackoff: { initialMs: 20, maxMs: 200 },
      policy: { caValidityMs: 720 * HOUR, certValidityMs: 48 * HOUR },
      caKeySpec: { type: "ec", curve: "P-256" },
      keySpec: { type: "ec", curve: "P-256" },
      serverPolicy: { commonNames: ["xds-server"], dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] },
      envoyCommonName: "gatehouse-envoy",
      checkIntervalMs: 60_000,
      lock: { holder: "a", ttlMs: 1_500 },
    });
    services.push(s);
    return s;
  }

  const secretData = (namespace: string, name: string) => {
    const data = (api.get("v1", "Secret", namespace, name) as unknown as { data?: Record<string, string> }).data ?? {};
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
  };

  const failures = async () => ((await register.getSingleMetric("gatehouse_cert_manager_failures_total")?.get())?.values ?? []).reduce((n, v) => n + v.value, 0);

  it("writes the Envoy Secret in every configured namespace, issued by the CA in ca.crt, and keeps the CA key in its Secret", async () => {
    const s = await service("--envoy-secret-namespaces", `${NS},team-a`);
    await s.start();
    expect(s.ready && s.isLeader).toBe(true);
    const envoy = secretData(NS, ENVOY_CLIENT_CERT_SECRET);
    expect(Object.keys(envoy).sort()).toEqual(["ca.crt", "tls.crt", "tls.key"]);
    expect(secretData("team-a", ENVOY_CLIENT_CERT_SECRET)).toEqual(envoy);
    const leaf = new X509Certificate(envoy["tls.crt"]);
    const ca = new X509Certificate(envoy["ca.crt"]);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subject).toContain("CN=gatehouse-envoy");
    expect(envoy["tls.key"]).toContain("PRIVATE KEY");
    const caSecret = secretData(NS, "gatehouse-ca");
    expect(Object.keys(caSecret).sort()).toEqual(["ca.crt", "ca.key"]);
    expect(caSecret["ca.crt"]).toBe(envoy["ca.crt"]);
  });

  it("restarts from the CA key in its Secret: the same CA, the Envoy certificate kept", async () => {
    const first = await service();
    await first.start();
    const before = { ca: secretData(NS, "gatehouse-ca"), envoy: secretData(NS, ENVOY_CLIENT_CERT_SECRET) };
    await first.close();
    services.splice(0);
    const second = await service();
    await second.start();
    expect(second.ready).toBe(true);
    expect(secretData(NS, "gatehouse-ca")).toEqual(before.ca);
    expect(secretData(NS, ENVOY_CLIENT_CERT_SECRET)).toEqual(before.envoy);
    // A Gateway namespace added later gets the Secret too (issued by the same CA).
    await second.close();
    services.splice(0);
    const third = await service("--envoy-secret-namespaces", `${NS},team-a`);
    await third.start();
    const teamA = secretData("team-a", ENVOY_CLIENT_CERT_SECRET);
    expect(new X509Certificate(teamA["tls.crt"]).checkIssued(new X509Certificate(before.ca["ca.crt"]))).toBe(true);
    expect(secretData(NS, "gatehouse-ca")["ca.crt"]).toBe(before.ca["ca.crt"]);
  });

  it("retries a 409 Conflict on the Secret update", async () => {
    api.failNext(2, 409, { verb: "update", path: new RegExp(`/secrets/${ENVOY_CLIENT_CERT_SECRET}$`) });
    const failed = await failures();
    await (await service()).start();
    expect(Object.keys(secretData(NS, ENVOY_CLIENT_CERT_SECRET)).sort()).toEqual(["ca.crt", "tls.crt", "tls.key"]);
    expect(api.countRequests({ verb: "update", path: new RegExp(`/secrets/${ENVOY_CLIENT_CERT_SECRET}$`) })).toBe(3);
    expect(await failures()).toBe(failed);
  });

  it("a missing Secret is an error log and a failure metric, retried until it exists; no crash", async () => {
    api.delete("v1", "Secret", NS, ENVOY_CLIENT_CERT_SECRET);
    const failed = await failures();
    const s = await service();
    await s.start();
    expect(await failures()).toBeGreaterThan(failed);
    expect(logText.some((t) => t.includes('"level":50') && t.includes(`Secret ${NS}/${ENVOY_CLIENT_CERT_SECRET} does not exist`))).toBe(true);
    api.create({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: ENVOY_CLIENT_CERT_SECRET, namespace: NS } });
    await s.tick();
    await waitFor("Envoy Secret written", () => !!secretData(NS, ENVOY_CLIENT_CERT_SECRET)["tls.crt"]);
  });

  const gateway = async (namespace: string, name = "gw") =>
    (await BucketStore.open(nc, "resources")).put(encodeKey({ kind: "Gateway", namespace, name }), {
      object: { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name, namespace } },
      source: "kubernetes",
    });
  const missingGauge = async (namespace: string) =>
    ((await register.getSingleMetric("gatehouse_cert_manager_envoy_secret_missing")?.get())?.values ?? []).find((v) => v.labels.namespace === namespace)?.value ?? 0;

  it("writes the Envoy Secret into every Gateway namespace from `resources`, a new one promptly, the same certificate everywhere", async () => {
    await gateway("team-a");
    const s = await service();
    await s.start();
    const own = secretData(NS, ENVOY_CLIENT_CERT_SECRET);
    expect(own["tls.crt"]).toContain("BEGIN CERTIFICATE");
    expect(secretData("team-a", ENVOY_CLIENT_CERT_SECRET)).toEqual(own);
    // A Gateway in a new namespace whose Secret the watcher has not created yet: reported, not fatal.
    await gateway("team-b");
    await waitFor("the missing Secret to be reported", async () => (await missingGauge("team-b")) === 1);
    expect(logText.some((t) => t.includes('"level":50') && t.includes(`Secret team-b/${ENVOY_CLIENT_CERT_SECRET} does not exist`))).toBe(true);
    expect(secretData("team-a", ENVOY_CLIENT_CERT_SECRET)).toEqual(own);
    // The watcher creates it empty: the retry (back-off, not the 60 s check) fills it with the same certificate and key.
    api.create({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: ENVOY_CLIENT_CERT_SECRET, namespace: "team-b" } });
    await waitFor("team-b's Secret filled", () => !!secretData("team-b", ENVOY_CLIENT_CERT_SECRET)["tls.crt"], 10_000);
    expect(secretData("team-b", ENVOY_CLIENT_CERT_SECRET)).toEqual(own);
    await waitFor("the gauge cleared", async () => (await missingGauge("team-b")) === 0);
    // A Gateway namespace that appears while everything is in place gets its Secret at once.
    api.create({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: ENVOY_CLIENT_CERT_SECRET, namespace: "team-c" } });
    await gateway("team-c");
    await waitFor("team-c's Secret filled", () => !!secretData("team-c", ENVOY_CLIENT_CERT_SECRET)["tls.crt"], 10_000);
    expect(secretData("team-c", ENVOY_CLIENT_CERT_SECRET)).toEqual(own);
    // Only the Secrets: cert-manager never created one.
    expect(api.countRequests({ verb: "create" })).toBe(0);
  });
});
