// Envoy bootstraps for standalone mode: one file per Gateway under .gatehouse/bootstrap/,
// built and validated by libs/xds like `gatehouse bootstrap`. By default the xDS connection
// is mTLS with the client certificate cert-manager keeps in .gatehouse/pki/envoy-client
// (file-based SDS: Envoy reloads it when cert-manager renews it); `--insecure` drops the TLS
// socket for a plaintext xds-server. Each Gateway gets its own admin/stats/readiness ports
// so several proxies fit on one machine.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { BOOTSTRAP_DEFAULTS, bootstrapOptions, checkedBootstrap, XDS_CLUSTER, type JsonObject } from "@gatehouse/xds";

/** How a standalone proxy reaches the xds-server: its address, and its mTLS files unless plaintext. */
export interface StandaloneXds {
  address: string;
  /** Absent: plaintext xDS (`up --insecure`). */
  tls?: { certDir: string; sdsDir: string };
}

export function bootstrapFileName(gateway: string): string {
  return `${gateway.replace("/", "-")}.yaml`;
}

export type StandaloneBootstrap = { ok: true; bootstrap: JsonObject; sdsFiles: Record<string, JsonObject> } | { ok: false; error: string };

/** The bootstrap of `gateway` ("namespace/name") for the `index`-th proxy on this machine, and its SDS files. */
export function standaloneBootstrap(gateway: string, xds: StandaloneXds, index: number): StandaloneBootstrap {
  const parsed = bootstrapOptions({
    gateway,
    xdsAddress: xds.address,
    ipFamily: "IPv4",
    nodeId: `envoy-${gateway.replace("/", "-")}`,
    ...(xds.tls ? { certDir: xds.tls.certDir, sdsDir: xds.tls.sdsDir } : {}),
  });
  if (!parsed.ok) return parsed;
  const offset = index * 10;
  const checked = checkedBootstrap({
    ...parsed.options,
    adminPort: BOOTSTRAP_DEFAULTS.adminPort + offset,
    statsPort: BOOTSTRAP_DEFAULTS.statsPort + offset,
    readinessPort: BOOTSTRAP_DEFAULTS.readinessPort + offset,
  });
  if (checked.issues.length > 0) return { ok: false, error: checked.issues.map((i) => `${i.path}: ${i.message}`).join("; ") };
  if (xds.tls) return { ok: true, bootstrap: checked.bootstrap, sdsFiles: checked.sdsFiles };
  return { ok: true, bootstrap: withoutXdsTls(checked.bootstrap), sdsFiles: {} };
}

/** The bootstrap with a plaintext xDS cluster, for an xds-server without TLS (`up --insecure`). */
export function withoutXdsTls(bootstrap: JsonObject): JsonObject {
  const clusters = ((bootstrap.static_resources as JsonObject).clusters ?? []) as JsonObject[];
  for (const c of clusters) if (c.name === XDS_CLUSTER) delete c.transport_socket;
  return bootstrap;
}

/** Writes the SDS files (the same for every Gateway: they name the one client certificate). */
export function writeSdsFiles(sdsDir: string, files: Record<string, JsonObject>): void {
  mkdirSync(sdsDir, { recursive: true });
  // Envoy reads SDS files as JSON or YAML by extension; these are .json.
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(sdsDir, file), `${JSON.stringify(content, null, 2)}\n`);
}

/** Writes the bootstrap of `gateway` (and, with mTLS, its SDS files); returns the file or an error message. */
export function writeStandaloneBootstrap(
  dir: string,
  gateway: string,
  xds: StandaloneXds,
  index: number,
): { ok: true; file: string } | { ok: false; error: string } {
  const built = standaloneBootstrap(gateway, xds, index);
  if (!built.ok) return built;
  if (xds.tls) writeSdsFiles(xds.tls.sdsDir, built.sdsFiles);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, bootstrapFileName(gateway));
  const transport = xds.tls ? `mTLS with the client certificate in ${xds.tls.certDir} (renewed by cert-manager, reloaded by Envoy)` : "plaintext (gatehouse up --insecure)";
  writeFileSync(
    file,
    `# Envoy bootstrap for Gateway ${gateway}, written by \`gatehouse up\`.\n# xDS: ${xds.address}, ${transport}.\n# Run: envoy -c ${file}\n` +
      stringify(built.bootstrap, { lineWidth: 0 }),
  );
  return { ok: true, file };
}
