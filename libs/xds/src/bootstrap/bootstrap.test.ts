import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IPFamily } from "@gatehouse/ir";
import { decodeResource, encodeResource } from "../proto/resource-codec";
import { formatGolden, golden } from "../resources/golden";
import { typeUrlOf, type JsonObject } from "../resources/json";
import { bootstrapOptions, parseHostPort, type BootstrapOptions } from "./bootstrap-options";
import { buildBootstrap, BOOTSTRAP_TYPE_NAME } from "./bootstrap";
import { checkedBootstrap } from "./validate-bootstrap";

const TESTDATA = path.join(import.meta.dirname, "testdata");
const FAMILIES: IPFamily[] = ["IPv4", "IPv6", "DualStack"];

function options(overrides: Partial<Parameters<typeof bootstrapOptions>[0]> = {}): BootstrapOptions {
  const result = bootstrapOptions({ gateway: "infra/edge", xdsAddress: "gatehouse-xds.gatehouse.svc:18000", ...overrides });
  if (!result.ok) throw new Error(result.error);
  return result.options;
}

const listeners = (b: JsonObject) => (b.static_resources as { listeners: JsonObject[] }).listeners;

describe("bootstrap", () => {
  it.each(FAMILIES)("matches the golden %s bootstrap and passes validation", (family) => {
    const checked = checkedBootstrap(options({ ipFamily: family }));
    expect(checked.issues).toEqual([]);
    const actual = formatGolden({ bootstrap: checked.bootstrap, sdsFiles: checked.sdsFiles });
    expect(actual).toBe(golden(path.join(TESTDATA, `bootstrap-${family}.out.json`), actual));
  });

  it.each([
    ["IPv4", { address: "0.0.0.0" }, "127.0.0.1"],
    ["IPv6", { address: "::" }, "::1"],
    ["DualStack", { address: "::", ipv4_compat: true }, "127.0.0.1"],
  ] as const)("binds readiness and stats for %s and keeps admin on loopback", (family, bind, loopback) => {
    const b = buildBootstrap(options({ ipFamily: family }));
    expect(listeners(b).map((l) => l.address)).toEqual([
      { socket_address: { ...bind, port_value: 19003 } },
      { socket_address: { ...bind, port_value: 19001 } },
    ]);
    expect((b.admin as JsonObject).address).toEqual({ socket_address: { address: loopback, port_value: 19000 } });
  });

  it("uses Delta ADS for listeners and clusters, identified by the gateway key", () => {
    const b = buildBootstrap(options());
    expect(b.node).toEqual({ id: "gatehouse-envoy", cluster: "infra/edge" });
    const dyn = b.dynamic_resources as JsonObject;
    expect(dyn.ads_config).toMatchObject({ api_type: "DELTA_GRPC", transport_api_version: "V3" });
    expect(dyn.lds_config).toEqual({ ads: {}, resource_api_version: "V3" });
    expect(dyn.cds_config).toEqual({ ads: {}, resource_api_version: "V3" });
  });

  it("reads the client certificate and CA by file-based SDS and checks the server's name", () => {
    const b = buildBootstrap(options({ certDir: "/certs", sdsDir: "/sds" }));
    const xds = (b.static_resources as { clusters: JsonObject[] }).clusters[0];
    const tls = (xds.transport_socket as { typed_config: JsonObject }).typed_config;
    expect(tls.sni).toBe("gatehouse-xds.gatehouse.svc");
    const common = tls.common_tls_context as JsonObject;
    expect(common.tls_certificate_sds_secret_configs).toEqual([
      {
        name: "xds_client_certificate",
        sds_config: {
          path_config_source: { path: "/sds/xds-client-certificate.json", watched_directory: { path: "/certs" } },
          resource_api_version: "V3",
        },
      },
    ]);
    expect(JSON.stringify(common.combined_validation_context)).toContain('"exact":"gatehouse-xds.gatehouse.svc"');
    expect(checkedBootstrap(options({ certDir: "/certs", sdsDir: "/sds" })).sdsFiles["xds-client-certificate.json"]).toEqual({
      resources: [
        {
          "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
          name: "xds_client_certificate",
          tls_certificate: { certificate_chain: { filename: "/certs/tls.crt" }, private_key: { filename: "/certs/tls.key" } },
        },
      ],
    });
  });

  it("connects to an IP address statically, without SNI, matching the IP SAN", () => {
    const b = buildBootstrap(options({ xdsAddress: "[fd00::10]:18000", ipFamily: "IPv6" }));
    const xds = (b.static_resources as { clusters: JsonObject[] }).clusters[0];
    expect(xds.type).toBe("STATIC");
    expect(JSON.stringify(xds)).toContain('"san_type":"IP_ADDRESS","matcher":{"exact":"fd00::10"}');
    expect((xds.transport_socket as { typed_config: JsonObject }).typed_config.sni).toBeUndefined();
    expect(checkedBootstrap(options({ xdsAddress: "[fd00::10]:18000", ipFamily: "IPv6" })).issues).toEqual([]);
  });

  it("round-trips through encode and decode", () => {
    const url = typeUrlOf(BOOTSTRAP_TYPE_NAME);
    const first = encodeResource(url, buildBootstrap(options()));
    const again = encodeResource(url, decodeResource(url, first.bytes));
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
  });

  it("names the bad value in option errors", () => {
    expect(bootstrapOptions({ gateway: "edge", xdsAddress: "x:1" })).toEqual({ ok: false, error: expect.stringContaining("--gateway") });
    expect(bootstrapOptions({ gateway: "a/b", xdsAddress: "x" })).toEqual({ ok: false, error: expect.stringContaining("--xds-address") });
    expect(bootstrapOptions({ gateway: "a/b", xdsAddress: "x:70000" }).ok).toBe(false);
    expect(bootstrapOptions({ gateway: "a/b", xdsAddress: "x:1", ipFamily: "ipv4" })).toEqual({
      ok: false,
      error: expect.stringContaining("--ip-family"),
    });
    expect(bootstrapOptions({ gateway: "a/b", xdsAddress: "x:1", certDir: "certs" }).ok).toBe(false);
    expect(parseHostPort("[::1]:18000")).toEqual({ host: "::1", port: 18000 });
    expect(parseHostPort("::1:18000")).toBeUndefined();
  });
});
