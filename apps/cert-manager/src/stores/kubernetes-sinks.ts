// cert-manager's SecretSinks in Kubernetes mode: the CA key Secret in its own namespace and
// the Envoy client Secret in the configured namespaces plus every Gateway's. Imported only
// in this mode (secret-sinks.ts): @kubernetes/client-node is big and standalone mode has no use for it.
import { KubeClient, loadKubeConfig } from "@gatehouse/kube-client";
import type { CertManagerConfig } from "../config";
import { KubernetesSecretSink } from "./kubernetes-secret-sink";
import type { CertManagerSinks, SinkConfig } from "./secret-sinks";

export function kubernetesSecretSinks(config: SinkConfig, env: NodeJS.ProcessEnv): CertManagerSinks {
  const kube = loadKubeConfig({ env });
  const client = new KubeClient(kube.config, { requestTimeoutMs: 15_000 });
  // In a pod the kubeconfig namespace is the pod's own: cert-manager's namespace.
  const ownNamespace = config.namespace || kube.namespace;
  const configured = envoyNamespaces(config, ownNamespace);
  const envoySink = new KubernetesSecretSink({ client, name: config.envoySecretName, namespaces: configured });
  return {
    caStore: new KubernetesSecretSink({ client, name: config.caSecretName, namespaces: [ownNamespace] }),
    envoySink,
    followGatewayNamespaces: (gatewayNamespaces) => envoySink.setNamespaces([...configured, ...[...gatewayNamespaces].sort()]),
  };
}

function envoyNamespaces(config: Pick<CertManagerConfig, "envoySecretNamespaces">, ownNamespace: string): string[] {
  return config.envoySecretNamespaces.length ? config.envoySecretNamespaces : [ownNamespace];
}
