// cert-manager's metrics on prom-client's default registry (served by /metrics).
import { counter, gauge } from "@gatehouse/runtime";

export function certManagerMetrics() {
  return {
    expiry: gauge<"certificate">({
      name: "gatehouse_cert_manager_certificate_expiry_seconds",
      help: "Seconds until each certificate cert-manager issued and still tracks expires (negative: expired)",
      labelNames: ["certificate"],
    }),
    rotations: counter<"certificate" | "reason">({
      name: "gatehouse_cert_manager_rotations_total",
      help: "Certificates issued in place of an existing one (or the first one), by certificate and reason",
      labelNames: ["certificate", "reason"],
    }),
    failures: counter<"operation">({
      name: "gatehouse_cert_manager_failures_total",
      help: "Failed operations (issue, publish, store, sign, lock)",
      labelNames: ["operation"],
    }),
    signingRequests: counter<"result">({
      name: "gatehouse_cert_manager_signing_requests_total",
      help: "Certificate signing requests answered, by result (Signed or the refusal reason)",
      labelNames: ["result"],
    }),
    envoySecretMissing: gauge<"namespace">({
      name: "gatehouse_cert_manager_envoy_secret_missing",
      help: "1 for each namespace whose Envoy client Secret does not exist yet (created empty by the watcher or the install); retried with back-off",
      labelNames: ["namespace"],
    }),
    propagationWait: gauge({
      name: "gatehouse_cert_manager_ca_propagation_wait_seconds",
      help: "Seconds until the next CA, already in the trust bundle, starts signing (0: no rollover waiting)",
    }),
    leader: gauge({ name: "gatehouse_cert_manager_leader", help: "1 while this replica holds the signer lease" }),
  };
}

export type CertManagerMetrics = ReturnType<typeof certManagerMetrics>;
