import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { XDS_CLUSTER } from "@gatehouse/xds";
import { writeStandaloneBootstrap } from "./bootstraps";

describe("writeStandaloneBootstrap", () => {
  it("writes a Delta ADS bootstrap for the Gateway, plaintext to the local xds-server, ports offset per Gateway", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bootstrap-test-"));
    try {
      const written = writeStandaloneBootstrap(dir, "default/eg", "127.0.0.1:18000", 1);
      expect(written.ok).toBe(true);
      if (!written.ok) return;
      expect(written.file).toBe(path.join(dir, "default-eg.yaml"));
      const b = parse(readFileSync(written.file, "utf8"));
      expect(b.node.cluster).toBe("default/eg");
      expect(b.dynamic_resources.ads_config.api_type).toBe("DELTA_GRPC");
      const xds = b.static_resources.clusters.find((c: { name: string }) => c.name === XDS_CLUSTER);
      expect(xds).toBeDefined();
      expect(xds.transport_socket).toBeUndefined();
      expect(xds.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toMatchObject({ address: "127.0.0.1", port_value: 18000 });
      expect(b.admin.address.socket_address.port_value).toBe(19010);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("returns an error for a key that is not namespace/name", () => {
    const written = writeStandaloneBootstrap(tmpdir(), "no-slash", "127.0.0.1:18000", 0);
    expect(written.ok).toBe(false);
  });
});
