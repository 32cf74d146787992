// The cert-manager service: the CA key, issuance, CSR signing over NATS request/reply,
// rotation; certificates and trust bundles to `certs`, keys only to SecretSinks.
import { runBusService } from "@gatehouse/bus";
import { keySpecFromName } from "@gatehouse/pki";
import { createLogger } from "@gatehouse/runtime";
import { certManagerConfig, lifetimePolicyOf } from "./config";
import { FileSecretSink } from "./stores/secret-sink";
import { CertManagerService } from "./wiring/cert-manager-service";

const config = certManagerConfig.load({ serviceName: "cert-manager" });
const lifetimes = lifetimePolicyOf(config);
if (!lifetimes.ok) {
  for (const e of lifetimes.errors) console.error(`cert-manager: ${e}`);
  process.exit(2);
}

const logger = createLogger("cert-manager");
await runBusService({
  name: "cert-manager",
  config,
  logger,
  component: "cert-manager",
  create: (nc) =>
    new CertManagerService({
      nc,
      logger,
      caStore: new FileSecretSink(config.caDir),
      envoySink: new FileSecretSink(config.envoyClientDir),
      policy: lifetimes.policy,
      caKeySpec: keySpecFromName(config.caKeyType),
      keySpec: keySpecFromName(config.keyType),
      serverPolicy: { commonNames: [config.xdsServerCommonName], dnsNames: config.xdsServerDnsNames, ipAddresses: config.xdsServerIps },
      envoyCommonName: config.envoyCommonName,
      checkIntervalMs: config.checkInterval,
      lock: { holder: config.replicaId, ttlMs: config.lockTtl },
    }),
  readiness: { name: "certificates", notReady: "first certificate check not done" },
});
