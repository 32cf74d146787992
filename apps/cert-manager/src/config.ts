// cert-manager's configuration: lifetimes (Go-style durations such as "720h", through the
// same parser as every service's duration flags), key types, the names an xds-server may
// ask for, and where the CA key and the Envoy client Secret live in standalone mode.
import { BUS_CONFIG_OPTIONS } from "@gatehouse/bus";
import { ENVOY_CLIENT_CERT_SECRET } from "@gatehouse/infra";
import { KEY_SPEC_NAMES, lifetimeErrors, propagationDelayErrors, type LifetimePolicy } from "@gatehouse/pki";
import { defineConfig, type ConfigOf } from "@gatehouse/runtime";
import { hostname } from "node:os";

export const certManagerConfig = defineConfig({
  ...BUS_CONFIG_OPTIONS,
  caValidity: { type: "duration", default: 8760 * 3_600_000, description: 'lifetime of the CA (e.g. "8760h"); it rolls over at two thirds, and at least one cert-validity before it ends' },
  certValidity: { type: "duration", default: 48 * 3_600_000, description: 'lifetime of the xds-server and Envoy client certificates (e.g. "48h")' },
  renewBefore: { type: "duration", description: "renew a certificate when this much of its life is left (instead of --renew-fraction)" },
  renewFraction: { type: "number", min: 0, max: 1, description: "renew a certificate when this fraction of its life has passed (default 2/3)" },
  caPropagationDelay: {
    type: "duration",
    description:
      'how long a new CA is only trusted (in every trust bundle) before it signs, so no Envoy sees a certificate its bundle cannot verify yet (default "2m" with --secret-store kubernetes: the kubelet refreshes mounted Secrets about once a minute; "5s" with file: Envoy watches the folder)',
  },
  caKeyType: { type: "enum", values: KEY_SPEC_NAMES, default: "ec-p256", description: "key type of the CA" },
  keyType: { type: "enum", values: KEY_SPEC_NAMES, default: "ec-p256", description: "key type of the Envoy client certificate" },
  xdsServerDnsNames: { type: "list", default: ["localhost"], description: "DNS names the xds-server's certificate may carry (its Service's names)" },
  xdsServerIps: { type: "list", default: ["127.0.0.1", "::1"], description: "IP addresses the xds-server's certificate may carry" },
  xdsServerCommonName: { type: "string", default: "xds-server", description: "common name the xds-server's signing requests must carry" },
  envoyCommonName: { type: "string", default: "gatehouse-envoy", description: "common name of the Envoy client certificate" },
  secretStore: { type: "enum", values: ["file", "kubernetes"] as const, default: "file", description: "where the CA key and the Envoy client certificate live: folders (standalone) or Kubernetes Secrets" },
  namespace: { type: "string", default: "", description: "kubernetes: cert-manager's namespace, home of the CA key Secret (default: the pod's, or the kubeconfig context's)" },
  caSecretName: { type: "string", default: "gatehouse-ca", description: "kubernetes: the Secret holding the CA certificate and key (created empty at install)" },
  envoySecretName: { type: "string", default: ENVOY_CLIENT_CERT_SECRET, description: "kubernetes: the Secret the Envoy pods mount (tls.crt, tls.key, ca.crt)" },
  envoySecretNamespaces: { type: "list", default: [], description: "kubernetes: namespaces whose Envoy client Secret cert-manager fills besides those of the Gateways in `resources` (default: its own namespace)" },
  caDir: { type: "string", default: ".gatehouse/pki/ca", description: "standalone: folder of the CA certificate and key (mode 0700)" },
  envoyClientDir: { type: "string", default: ".gatehouse/pki/envoy-client", description: "standalone: folder of the Envoy client tls.crt, tls.key and ca.crt" },
  checkInterval: { type: "duration", default: 30_000, description: "how often the signer checks what is due" },
  lockTtl: { type: "duration", default: 15_000, description: "signer lease time to live: a dead signer is replaced after this" },
  replicaId: { type: "string", default: `${hostname()}-${process.pid}`, description: "this replica's name in the signer lease" },
  healthPort: { type: "port", default: 8084, description: "port of /healthz, /readyz and /metrics" },
});

export type CertManagerConfig = ConfigOf<typeof certManagerConfig.spec>;

/** Kubernetes: the kubelet's sync period (1 min) plus its Secret cache, with margin. */
export const KUBERNETES_PROPAGATION_DELAY_MS = 2 * 60_000;
/** Files: Envoy's SDS watched_directory sees the `..data` swap at once; a few seconds of margin. */
export const FILE_PROPAGATION_DELAY_MS = 5_000;

/** The CA propagation delay: as configured, else the default of the secret store. */
export function caPropagationDelayMs(c: Pick<CertManagerConfig, "caPropagationDelay" | "secretStore">): number {
  return c.caPropagationDelay ?? (c.secretStore === "kubernetes" ? KUBERNETES_PROPAGATION_DELAY_MS : FILE_PROPAGATION_DELAY_MS);
}

type LifetimeConfig = Pick<CertManagerConfig, "caValidity" | "certValidity" | "renewBefore" | "renewFraction"> & Partial<Pick<CertManagerConfig, "caPropagationDelay" | "secretStore">>;

/** The lifetime policy of a configuration, or every reason it cannot work. */
export function lifetimePolicyOf(c: LifetimeConfig): { ok: true; policy: LifetimePolicy } | { ok: false; errors: string[] } {
  const policy: LifetimePolicy = { caValidityMs: c.caValidity, certValidityMs: c.certValidity, renewBeforeMs: c.renewBefore, renewFraction: c.renewFraction };
  const errors = lifetimeErrors(policy);
  if (!errors.length) errors.push(...propagationDelayErrors(caPropagationDelayMs({ caPropagationDelay: c.caPropagationDelay, secretStore: c.secretStore ?? "file" }), policy));
  return errors.length ? { ok: false, errors } : { ok: true, policy };
}
