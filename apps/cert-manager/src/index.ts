// The xDS PKI service: the CA key, issuance, CSR signing and rotation
export { CertManagerService, CERT_KEYS, ENVOY_SECRET_FILES } from "./wiring/cert-manager-service";
export type { CertManagerOptions } from "./wiring/cert-manager-service";
export { FileSecretSink } from "./stores/secret-sink";
export type { SecretSink } from "./stores/secret-sink";
export { certManagerConfig, lifetimePolicyOf } from "./config";
export { KubernetesSecretSink, SecretMissingError } from "./stores/kubernetes-secret-sink";
export { secretSinksFor } from "./stores/secret-sinks";
