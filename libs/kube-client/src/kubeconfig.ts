// Where the watcher finds its cluster: the in-cluster service account first (a pod), then
// $KUBECONFIG (several files joined with the path delimiter, as kubectl does), then
// ~/.kube/config. Loading is @kubernetes/client-node's; what is ours is the order (its
// loadFromDefault puts in-cluster last and silently falls back to localhost:8080) and plain
// http:// servers (`kubectl proxy`), which the client refuses unless the cluster is marked
// insecure-skip-tls-verify, a flag that means nothing without TLS.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { homedir } from "node:os";
import { KubeConfig } from "@kubernetes/client-node";

export type KubeConfigSource = "in-cluster" | "KUBECONFIG" | "~/.kube/config";

export interface LoadedKubeConfig {
  config: KubeConfig;
  source: KubeConfigSource;
  server: string;
  /** The context's namespace (the pod's namespace in-cluster), "default" when none. */
  namespace: string;
}

export interface KubeConfigLocations {
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Prefix of /var/run/secrets/kubernetes.io/serviceaccount (tests point it at a temp dir). */
  serviceAccountPrefix?: string;
}

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export class KubeConfigError extends Error {}

export function loadKubeConfig(where: KubeConfigLocations = {}): LoadedKubeConfig {
  const env = where.env ?? process.env;
  const prefix = where.serviceAccountPrefix ?? "";
  const kc = new KubeConfig();
  let source: KubeConfigSource;
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(`${prefix}${SERVICE_ACCOUNT_DIR}/token`)) {
    // loadFromCluster reads the host and port from process.env.
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = env.KUBERNETES_SERVICE_HOST;
    process.env.KUBERNETES_SERVICE_PORT = env.KUBERNETES_SERVICE_PORT;
    try {
      kc.loadFromCluster(prefix);
    } finally {
      restoreEnv("KUBERNETES_SERVICE_HOST", saved.host);
      restoreEnv("KUBERNETES_SERVICE_PORT", saved.port);
    }
    source = "in-cluster";
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter(Boolean);
    const missing = files.filter((f) => !existsSync(f));
    if (missing.length === files.length) throw new KubeConfigError(`KUBECONFIG names no readable file: ${env.KUBECONFIG}`);
    const [first, ...rest] = files.filter((f) => existsSync(f));
    kc.loadFromFile(first);
    for (const f of rest) {
      const more = new KubeConfig();
      more.loadFromFile(f);
      kc.mergeConfig(more);
    }
    source = "KUBECONFIG";
  } else {
    const file = join(where.homeDir ?? homedir(), ".kube", "config");
    if (!existsSync(file)) {
      throw new KubeConfigError(`no Kubernetes configuration: not in a pod (no service account), KUBECONFIG unset, and ${file} does not exist`);
    }
    kc.loadFromFile(file);
    source = "~/.kube/config";
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeConfigError(`the ${source} configuration has no current context with a cluster`);
  allowPlainHttp(kc);
  const context = kc.getContextObject(kc.getCurrentContext());
  return { config: kc, source, server: cluster.server, namespace: context?.namespace?.trim() || "default" };
}

function allowPlainHttp(kc: KubeConfig): void {
  if (!kc.clusters.some((c) => c.server.startsWith("http:"))) return;
  kc.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.server.startsWith("http:") ? { ...c, skipTLSVerify: true } : c)),
    contexts: kc.contexts,
    users: kc.users,
    currentContext: kc.currentContext,
  });
}

function restoreEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}
