// Which SecretSinks cert-manager uses, from its configuration: folders in standalone mode,
// Kubernetes Secrets (through the kubeconfig loadKubeConfig finds) in Kubernetes mode.
import { KubeClient, loadKubeConfig } from "@gatehouse/kube-client";
import type { CertManagerConfig } from "../config";
import { KubernetesSecretSink } from "./kubernetes-secret-sink";
import { FileSecretSink, type SecretSink } from "./secret-sink";

export interface CertManagerSinks {
  caStore: SecretSink;
  envoySink: SecretSink;
}

type SinkConfig = Pick<CertManagerConfig, "secretStore" | "caDir" | "envoyClientDir" | "caSecretName" | "envoySecretName" | "envoySecretNamespaces" | "namespace">;

export function secretSinksFor(config: SinkConfig, env: NodeJS.ProcessEnv = process.env): CertManagerSinks {
  if (config.secretStore === "file") return { caStore: new FileSecretSink(config.caDir), envoySink: new FileSecretSink(config.envoyClientDir) };
  const kube = loadKubeConfig({ env });
  const client = new KubeClient(kube.config, { requestTimeoutMs: 15_000 });
  // In a pod the kubeconfig namespace is the pod's own: cert-manager's namespace.
  const ownNamespace = config.namespace || kube.namespace;
  const envoyNamespaces = config.envoySecretNamespaces.length ? config.envoySecretNamespaces : [ownNamespace];
  return {
    caStore: new KubernetesSecretSink({ client, name: config.caSecretName, namespaces: [ownNamespace] }),
    envoySink: new KubernetesSecretSink({ client, name: config.envoySecretName, namespaces: envoyNamespaces }),
  };
}
