import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { captureRun } from "../testdata/capture-run";
import { writeUpState, type UpState } from "../up/up-state";
import { XDS_CLUSTER } from "@gatehouse/xds";
import { run } from "./bootstrap";

const capture = (argv: string[]) => captureRun(run, argv);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("gatehouse bootstrap", () => {
  it("prints a YAML bootstrap for the gateway and family", async () => {
    const r = await capture(["--gateway", "infra/edge", "--xds-address", "xds.gatehouse.svc:18000", "--ip-family", "IPv6"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const b = parse(r.out);
    expect(b.node.cluster).toBe("infra/edge");
    expect(b.admin.address.socket_address.address).toBe("::1");
    expect(b.dynamic_resources.ads_config.api_type).toBe("DELTA_GRPC");
    expect(b.static_resources.listeners[0].address.socket_address).toEqual({ address: "::", port_value: 19003 });
  });

  it("writes the SDS files with --write-sds and prints JSON with -o json", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-sds-"));
    dirs.push(dir);
    const r = await capture(["--gateway", "a/b", "--xds-address", "10.0.0.1:18000", "--sds-dir", dir, "--cert-dir", "/certs", "--write-sds", "-o", "json"]);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out);
    expect(JSON.stringify(b)).toContain(`"path":"${dir}/xds-client-certificate.json"`);
    const cert = JSON.parse(readFileSync(path.join(dir, "xds-client-certificate.json"), "utf8"));
    expect(cert.resources[0].tls_certificate.private_key).toEqual({ filename: "/certs/tls.key" });
    const ca = JSON.parse(readFileSync(path.join(dir, "xds-trusted-ca.json"), "utf8"));
    expect(ca.resources[0].validation_context.trusted_ca).toEqual({ filename: "/certs/ca.crt" });
  });

  it("without --xds-address, is for the running gatehouse up: its address, IPv4, and its mTLS files (plaintext when it runs --insecure)", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "gatehouse-up-state-"));
    dirs.push(stateDir);
    const up: UpState = {
      pid: process.pid,
      natsUrl: "nats://127.0.0.1:4222",
      xdsAddress: "127.0.0.1:18123",
      xdsTls: { certDir: path.join(stateDir, "pki/envoy-client"), sdsDir: path.join(stateDir, "bootstrap/sds") },
      provider: "file",
      dir: "/m",
      startedAt: new Date().toISOString(),
      services: [],
      bootstrapDir: path.join(stateDir, "bootstrap"),
      bootstraps: {},
      statusFile: "",
    };
    writeUpState(stateDir, up);
    const xdsCluster = (out: string) => parse(out).static_resources.clusters.find((c: { name: string }) => c.name === XDS_CLUSTER);
    const mtls = await capture(["--gateway", "a/b", "--state-dir", stateDir]);
    expect(mtls.err).toBe("");
    const cluster = xdsCluster(mtls.out);
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: "127.0.0.1", port_value: 18123 });
    expect(parse(mtls.out).admin.address.socket_address.address).toBe("127.0.0.1");
    expect(cluster.transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs[0].sds_config.path_config_source).toEqual({
      path: path.join(stateDir, "bootstrap/sds/xds-client-certificate.json"),
      watched_directory: { path: path.join(stateDir, "pki/envoy-client") },
    });
    // --insecure drops TLS on request...
    expect(xdsCluster((await capture(["--gateway", "a/b", "--state-dir", stateDir, "--insecure"])).out).transport_socket).toBeUndefined();
    // ...and is the default for an up that runs plaintext.
    writeUpState(stateDir, { ...up, xdsTls: undefined });
    expect(xdsCluster((await capture(["--gateway", "a/b", "--state-dir", stateDir])).out).transport_socket).toBeUndefined();
  });

  it.each([
    [["--xds-address", "x:1"], "--gateway is required"],
    [["--gateway", "a/b", "--state-dir", "/nonexistent/gatehouse"], "--xds-address is required (no gatehouse up runs with state in /nonexistent/gatehouse)"],
    [["--gateway", "edge", "--xds-address", "x:1"], "--gateway must be NAMESPACE/NAME"],
    [["--gateway", "a/b", "--xds-address", "x:1", "--ip-family", "v6"], "--ip-family must be one of"],
    [["--gateway", "a/b", "--xds-address", "x:1", "-o", "toml"], "-o must be yaml or json"],
    [["--gateway", "a/b", "--xds-address", "x:1", "--bogus"], "Unknown option"],
  ])("rejects %j with a message naming the problem", async (argv, message) => {
    const r = await capture(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(message);
  });
});
