// The xDS PKI service: the CA key, issuance, CSR signing and rotation. KubernetesSecretSink
// is not re-exported here: importing it loads @kubernetes/client-node (secret-sinks.ts).
export { CertManagerService, CERT_KEYS, ENVOY_SECRET_FILES } from "./wiring/cert-manager-service";
export type { CertManagerOptions } from "./wiring/cert-manager-service";
export { FileSecretSink, SecretMissingError } from "./stores/secret-sink";
export type { SecretSink } from "./stores/secret-sink";
export { certManagerConfig, lifetimePolicyOf } from "./config";
export { secretSinksFor } from "./stores/secret-sinks";
export type { CertManagerSinks } from "./stores/secret-sinks";
