// Envoy bootstraps for standalone mode: one file per Gateway under .gatehouse/bootstrap/,
// built by libs/xds like `gatehouse bootstrap`, with two standalone adjustments: the local
// xds-server speaks plaintext on loopback (so the xDS cluster has no TLS socket), and each
// Gateway gets its own admin/stats/readiness ports so several proxies fit on one machine.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { BOOTSTRAP_DEFAULTS, bootstrapOptions, buildBootstrap, XDS_CLUSTER, type JsonObject } from "@gatehouse/xds";

export function bootstrapFileName(gateway: string): string {
  return `${gateway.replace("/", "-")}.yaml`;
}

/** Writes the bootstrap of `gateway` ("namespace/name"); returns the file or an error message. */
export function writeStandaloneBootstrap(
  dir: string,
  gateway: string,
  xdsAddress: string,
  index: number,
): { ok: true; file: string } | { ok: false; error: string } {
  const parsed = bootstrapOptions({ gateway, xdsAddress, ipFamily: "IPv4", nodeId: `envoy-${gateway.replace("/", "-")}` });
  if (!parsed.ok) return parsed;
  const offset = index * 10;
  const options = {
    ...parsed.options,
    adminPort: BOOTSTRAP_DEFAULTS.adminPort + offset,
    statsPort: BOOTSTRAP_DEFAULTS.statsPort + offset,
    readinessPort: BOOTSTRAP_DEFAULTS.readinessPort + offset,
  };
  const bootstrap = buildBootstrap(options);
  const clusters = ((bootstrap.static_resources as JsonObject).clusters ?? []) as JsonObject[];
  for (const c of clusters) if (c.name === XDS_CLUSTER) delete c.transport_socket;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, bootstrapFileName(gateway));
  writeFileSync(
    file,
    `# Envoy bootstrap for Gateway ${gateway}, written by \`gatehouse up\`.\n# Run: envoy -c ${file}\n` + stringify(bootstrap),
  );
  return { ok: true, file };
}
