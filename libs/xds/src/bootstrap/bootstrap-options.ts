// Options of an Envoy bootstrap for one Gateway's proxies, with their defaults, and the
// parsing of the xDS server address. Parsing errors are values for the CLI to print.
import { parseGatewayKey, type IPFamily, type NamespacedName } from "@gatehouse/ir";

export interface BootstrapOptions {
  gateway: NamespacedName;
  xdsHost: string;
  xdsPort: number;
  /** Name the xDS server's certificate must carry; defaults to `xdsHost`. */
  xdsServerName?: string;
  ipFamily: IPFamily;
  /** Directory of the Envoy client certificate: tls.crt, tls.key, ca.crt (a mounted kubernetes.io/tls Secret). */
  certDir: string;
  /** Directory of the SDS files (see sds-files.ts) that point Envoy at the certificate files. */
  sdsDir: string;
  /**
   * node.id. Envoy's `--service-node` flag overrides it, and the proxy Deployment passes the
   * pod name there, so every proxy gets its own id while sharing one bootstrap.
   */
  nodeId: string;
  adminPort: number;
  readinessPort: number;
  statsPort: number;
}

export const BOOTSTRAP_DEFAULTS = {
  ipFamily: "DualStack" as IPFamily,
  certDir: "/etc/gatehouse/xds-client",
  sdsDir: "/etc/gatehouse/sds",
  nodeId: "gatehouse-envoy",
  adminPort: 19000,
  readinessPort: 19003,
  statsPort: 19001,
};

export interface BootstrapInput {
  gateway: string;
  xdsAddress: string;
  xdsServerName?: string;
  ipFamily?: string;
  certDir?: string;
  sdsDir?: string;
  nodeId?: string;
}

const IP_FAMILIES: readonly IPFamily[] = ["IPv4", "IPv6", "DualStack"];

/** Checks and completes user input; the error names the bad value. */
export function bootstrapOptions(input: BootstrapInput): { ok: true; options: BootstrapOptions } | { ok: false; error: string } {
  let gateway: NamespacedName;
  try {
    gateway = parseGatewayKey(input.gateway);
  } catch {
    return { ok: false, error: `--gateway must be NAMESPACE/NAME, got ${JSON.stringify(input.gateway)}` };
  }
  const address = parseHostPort(input.xdsAddress);
  if (!address) return { ok: false, error: `--xds-address must be HOST:PORT (IPv6 as [ADDR]:PORT), got ${JSON.stringify(input.xdsAddress)}` };
  const ipFamily = (input.ipFamily ?? BOOTSTRAP_DEFAULTS.ipFamily) as IPFamily;
  if (!IP_FAMILIES.includes(ipFamily)) {
    return { ok: false, error: `--ip-family must be one of ${IP_FAMILIES.join(", ")}, got ${JSON.stringify(input.ipFamily)}` };
  }
  for (const [flag, dir] of [["--cert-dir", input.certDir], ["--sds-dir", input.sdsDir]] as const) {
    if (dir !== undefined && !dir.startsWith("/")) return { ok: false, error: `${flag} must be an absolute path, got ${JSON.stringify(dir)}` };
  }
  return {
    ok: true,
    options: {
      gateway,
      xdsHost: address.host,
      xdsPort: address.port,
      xdsServerName: input.xdsServerName,
      ipFamily,
      certDir: trimSlash(input.certDir ?? BOOTSTRAP_DEFAULTS.certDir),
      sdsDir: trimSlash(input.sdsDir ?? BOOTSTRAP_DEFAULTS.sdsDir),
      nodeId: input.nodeId ?? BOOTSTRAP_DEFAULTS.nodeId,
      adminPort: BOOTSTRAP_DEFAULTS.adminPort,
      readinessPort: BOOTSTRAP_DEFAULTS.readinessPort,
      statsPort: BOOTSTRAP_DEFAULTS.statsPort,
    },
  };
}

/** "host:port", "[v6addr]:port". Returns undefined when malformed. */
export function parseHostPort(value: string): { host: string; port: number } | undefined {
  const m = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(value) ?? /^([^:[\]\s]+):(\d+)$/.exec(value);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: m[1], port };
}

function trimSlash(dir: string): string {
  return dir.length > 1 ? dir.replace(/\/+$/, "") : dir;
}
