// Which SecretSinks cert-manager uses, from its configuration: folders in standalone mode,
// Kubernetes Secrets (through the kubeconfig loadKubeConfig finds) in Kubernetes mode. The
// Kubernetes side is imported only when asked for (as the watcher does): standalone mode
// never loads @kubernetes/client-node (secret-sinks.test.ts checks it).
import type { CertManagerConfig } from "../config";
import { FileSecretSink, type SecretSink } from "./secret-sink";

export interface CertManagerSinks {
  caStore: SecretSink;
  envoySink: SecretSink;
  /**
   * Kubernetes mode: the Envoy client Secret goes to the namespaces of these Gateways too
   * (besides --envoy-secret-namespaces, or cert-manager's own namespace).
   */
  followGatewayNamespaces?: (gatewayNamespaces: readonly string[]) => void;
}

export type SinkConfig = Pick<CertManagerConfig, "secretStore" | "caDir" | "envoyClientDir" | "caSecretName" | "envoySecretName" | "envoySecretNamespaces" | "namespace">;

export async function secretSinksFor(config: SinkConfig, env: NodeJS.ProcessEnv = process.env): Promise<CertManagerSinks> {
  if (config.secretStore === "file") return { caStore: new FileSecretSink(config.caDir), envoySink: new FileSecretSink(config.envoyClientDir) };
  const { kubernetesSecretSinks } = await import("./kubernetes-sinks");
  return kubernetesSecretSinks(config, env);
}
