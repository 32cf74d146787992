import { describe, expect, it } from "vitest";
import { upLayout, upServiceSpecs, type UpServicesInput } from "./service-specs";

const layout = upLayout("/state");
const base: UpServicesInput = {
  provider: "file",
  dir: "/manifests",
  insecure: false,
  natsUrl: "nats://127.0.0.1:4333",
  controllerName: "example.com/ctl",
  xdsPort: 18001,
  layout,
  healthPort: (name) => 9000 + name.length,
  env: { LOG_LEVEL: "info" },
};
const argsOf = (input: UpServicesInput) => Object.fromEntries(upServiceSpecs(input).map((s) => [s.name, s.args.slice(4)]));

describe("upServiceSpecs", () => {
  it("mTLS by default: cert-manager with the file store under the state folder, the xds-server with its certificate from the bus", () => {
    const specs = upServiceSpecs(base);
    expect(specs.map((s) => s.name)).toEqual(["cert-manager", "watcher", "ingress-converter", "translator", "xds-server"]);
    for (const s of specs) {
      expect(s.args.slice(0, 4)).toEqual(["--nats", "nats://127.0.0.1:4333", "--health-port", String(s.healthPort)]);
      expect(s.entry).toBe(`apps/${s.name}/src/main.ts`);
      expect(s.logFile).toBe(`/state/logs/${s.name}.log`);
    }
    expect(argsOf(base)).toEqual({
      "cert-manager": ["--secret-store", "file", "--ca-dir", "/state/pki/ca", "--envoy-client-dir", "/state/pki/envoy-client"],
      watcher: ["--provider", "file", "--dir", "/manifests", "--status-file", "/state/status.yaml"],
      "ingress-converter": ["--gateway-controller-name", "example.com/ctl"],
      translator: ["--controller-name", "example.com/ctl"],
      "xds-server": ["--xds-port", "18001", "--certs-from-bus"],
    });
  });

  it("--insecure: no cert-manager, a plaintext xds-server", () => {
    const args = argsOf({ ...base, insecure: true });
    expect(Object.keys(args)).toEqual(["watcher", "ingress-converter", "translator", "xds-server"]);
    expect(args["xds-server"]).toEqual(["--xds-port", "18001"]);
  });

  it("--provider kubernetes: the watcher reads the cluster for our controller, no folder, no status file, and deploys no proxies", () => {
    expect(argsOf({ ...base, provider: "kubernetes", dir: undefined }).watcher).toEqual(["--provider", "kubernetes", "--controller-name", "example.com/ctl", "--manage-infrastructure=false"]);
  });

  it("--lease-name: the watcher competes for its own Lease, not an installed Gatehouse's", () => {
    expect(argsOf({ ...base, provider: "kubernetes", dir: undefined, leaseName: "gatehouse-watcher-dev" }).watcher).toEqual([
      "--provider",
      "kubernetes",
      "--controller-name",
      "example.com/ctl",
      "--manage-infrastructure=false",
      "--leader-election-name",
      "gatehouse-watcher-dev",
    ]);
  });
});
