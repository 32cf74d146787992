// The ConfigMap holding a Gateway's Envoy bootstrap and the two SDS files that point Envoy
// at the client certificate mounted from the Secret (libs/xds builds all three).
import { BOOTSTRAP_DEFAULTS, buildBootstrap, sdsFiles, type BootstrapOptions } from "@gatehouse/xds";
import type { V1ConfigMap } from "@kubernetes/client-node";
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { objectMeta, type ProxyContext } from "./proxy-context";

/** Where the ConfigMap is mounted; the SDS files live beside the bootstrap. */
export const ENVOY_CONFIG_DIR = "/etc/envoy";
export const BOOTSTRAP_FILE = "bootstrap.yaml";
/** Where the client certificate Secret is mounted (tls.crt, tls.key, ca.crt). */
export const CLIENT_CERT_DIR = BOOTSTRAP_DEFAULTS.certDir;

export function bootstrapOptionsFor(ctx: ProxyContext): BootstrapOptions {
  const xds = ctx.cluster.xdsServer;
  return {
    gateway: ctx.gateway,
    xdsHost: xds.host,
    xdsPort: xds.port,
    xdsServerName: xds.serverName,
    ipFamily: ctx.family,
    certDir: CLIENT_CERT_DIR,
    sdsDir: ENVOY_CONFIG_DIR,
    nodeId: BOOTSTRAP_DEFAULTS.nodeId,
    adminPort: BOOTSTRAP_DEFAULTS.adminPort,
    readinessPort: BOOTSTRAP_DEFAULTS.readinessPort,
    statsPort: BOOTSTRAP_DEFAULTS.statsPort,
  };
}

export function bootstrapConfigMap(ctx: ProxyContext): V1ConfigMap {
  const opts = bootstrapOptionsFor(ctx);
  // YAML for people reading the ConfigMap; Envoy picks the parser by the file extension.
  const data: Record<string, string> = { [BOOTSTRAP_FILE]: stringify(buildBootstrap(opts), { lineWidth: 0, aliasDuplicateObjects: false }) };
  for (const [file, content] of Object.entries(sdsFiles(opts))) data[file] = `${JSON.stringify(content, null, 2)}\n`;
  return { apiVersion: "v1", kind: "ConfigMap", metadata: objectMeta(ctx), data };
}

/** A digest of the ConfigMap's data: in the pod template, so a new bootstrap rolls the proxies. */
export function configDigest(configMap: V1ConfigMap): string {
  return createHash("sha256").update(JSON.stringify(configMap.data ?? {})).digest("hex").slice(0, 16);
}
