import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { XDS_CLUSTER } from "@gatehouse/xds";
import { writeStandaloneBootstrap } from "./bootstraps";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "bootstrap-test-"));
  dirs.push(d);
  return d;
};
const xdsClusterOf = (file: string) => {
  const b = parse(readFileSync(file, "utf8"));
  return { b, xds: b.static_resources.clusters.find((c: { name: string }) => c.name === XDS_CLUSTER) };
};

describe("writeStandaloneBootstrap", () => {
  it("with mTLS (the default of up): the xDS cluster presents the client certificate by file SDS and checks the server's address", () => {
    const dir = tempDir();
    const certDir = path.join(dir, "pki", "envoy-client");
    const sdsDir = path.join(dir, "sds");
    const written = writeStandaloneBootstrap(dir, "default/eg", { address: "127.0.0.1:18000", tls: { certDir, sdsDir } }, 0);
    expect(written).toEqual({ ok: true, file: path.join(dir, "default-eg.yaml") });
    const { b, xds } = xdsClusterOf(path.join(dir, "default-eg.yaml"));
    expect(b.node).toEqual({ id: "envoy-default-eg", cluster: "default/eg" });
    const tls = xds.transport_socket.typed_config.common_tls_context;
    expect(tls.tls_certificate_sds_secret_configs[0].sds_config.path_config_source).toEqual({
      path: path.join(sdsDir, "xds-client-certificate.json"),
      watched_directory: { path: certDir },
    });
    expect(tls.combined_validation_context.default_validation_context.match_typed_subject_alt_names).toEqual([{ san_type: "IP_ADDRESS", matcher: { exact: "127.0.0.1" } }]);
    // The SDS files name what cert-manager writes.
    const cert = JSON.parse(readFileSync(path.join(sdsDir, "xds-client-certificate.json"), "utf8"));
    expect(cert.resources[0].tls_certificate).toEqual({ certificate_chain: { filename: `${certDir}/tls.crt` }, private_key: { filename: `${certDir}/tls.key` } });
    const ca = JSON.parse(readFileSync(path.join(sdsDir, "xds-trusted-ca.json"), "utf8"));
    expect(ca.resources[0].validation_context.trusted_ca).toEqual({ filename: `${certDir}/ca.crt` });
  });

  it("plaintext (up --insecure): no TLS socket; Delta ADS to the local xds-server; ports offset per Gateway", () => {
    const dir = tempDir();
    const written = writeStandaloneBootstrap(dir, "default/eg", { address: "127.0.0.1:18000" }, 1);
    expect(written.ok).toBe(true);
    const { b, xds } = xdsClusterOf(path.join(dir, "default-eg.yaml"));
    expect(b.dynamic_resources.ads_config.api_type).toBe("DELTA_GRPC");
    expect(xds.transport_socket).toBeUndefined();
    expect(xds.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toMatchObject({ address: "127.0.0.1", port_value: 18000 });
    expect(b.admin.address.socket_address.port_value).toBe(19010);
  });

  it("returns an error for a key that is not namespace/name", () => {
    const written = writeStandaloneBootstrap(tempDir(), "no-slash", { address: "127.0.0.1:18000" }, 0);
    expect(written.ok).toBe(false);
  });
});
