import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeApiTestServer } from "@gatehouse/testing";
import { KubeClient } from "./kube-client";
import { KubeConfigError, loadKubeConfig, SERVICE_ACCOUNT_DIR } from "./kubeconfig";
import { LEASE_RESOURCE } from "./api-resource";

let server: KubeApiTestServer;
let dir: string;
beforeAll(async () => {
  server = await KubeApiTestServer.start();
  dir = mkdtempSync(join(tmpdir(), "kubeconfig-"));
});
afterAll(() => server.stop());

function writeKubeconfig(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

describe("loadKubeConfig", () => {
  it("uses the in-cluster service account first, even when KUBECONFIG is set", () => {
    const prefix = join(dir, "pod");
    mkdirSync(prefix + SERVICE_ACCOUNT_DIR, { recursive: true });
    writeFileSync(`${prefix}${SERVICE_ACCOUNT_DIR}/token`, "t0ken");
    writeFileSync(`${prefix}${SERVICE_ACCOUNT_DIR}/ca.crt`, "");
    writeFileSync(`${prefix}${SERVICE_ACCOUNT_DIR}/namespace`, "gatehouse-system");
    const kubeconfig = writeKubeconfig("ignored", server.kubeconfigYaml());
    const loaded = loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443", KUBECONFIG: kubeconfig },
      serviceAccountPrefix: prefix,
    });
    expect(loaded).toMatchObject({ source: "in-cluster", server: "https://10.0.0.1:443", namespace: "gatehouse-system" });
    expect(process.env.KUBERNETES_SERVICE_HOST).toBeUndefined();
  });

  it("then KUBECONFIG, and talks to a plain http:// server without an insecure flag", async () => {
    const file = writeKubeconfig("plain", server.kubeconfigYaml({ plainHttpFlag: false, namespace: "team-a" }));
    const loaded = loadKubeConfig({ env: { KUBECONFIG: `${join(dir, "missing")}:${file}` }, serviceAccountPrefix: join(dir, "nopod") });
    expect(loaded).toMatchObject({ source: "KUBECONFIG", server: server.url, namespace: "team-a" });
    server.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "l", namespace: "team-a" }, spec: {} });
    const leases = await new KubeClient(loaded.config).list(LEASE_RESOURCE, { namespace: "team-a" });
    expect(leases.items.map((l) => l.metadata.name)).toEqual(["l"]);
  });

  it("then ~/.kube/config, and says where it looked when there is nothing", () => {
    const home = join(dir, "home");
    mkdirSync(join(home, ".kube"), { recursive: true });
    expect(() => loadKubeConfig({ env: {}, homeDir: home, serviceAccountPrefix: join(dir, "nopod") })).toThrow(KubeConfigError);
    expect(() => loadKubeConfig({ env: {}, homeDir: home, serviceAccountPrefix: join(dir, "nopod") })).toThrow(/KUBECONFIG unset/);
    writeFileSync(join(home, ".kube", "config"), server.kubeconfigYaml());
    expect(loadKubeConfig({ env: {}, homeDir: home, serviceAccountPrefix: join(dir, "nopod") })).toMatchObject({ source: "~/.kube/config", namespace: "default" });
  });
});
