// The cert-manager service: the CA key, issuance, CSR signing over NATS request/reply,
// rotation; certificates and trust bundles to `certs`, keys only to SecretSinks.
import { runBusService } from "@gatehouse/bus";
import { keySpecFromName } from "@gatehouse/pki";
import { createLogger } from "@gatehouse/runtime";
import { caPropagationDelayMs, certManagerConfig, lifetimePolicyOf } from "./config";
import { secretSinksFor } from "./stores/secret-sinks";
import { CertManagerService } from "./wiring/cert-manager-service";

const config = certManagerConfig.load({ serviceName: "cert-manager" });
const lifetimes = lifetimePolicyOf(config);
if (!lifetimes.ok) {
  for (const e of lifetimes.errors) console.error(`cert-manager: ${e}`);
  process.exit(2);
}

const logger = createLogger("cert-manager");
let sinks;
try {
  sinks = await secretSinksFor(config);
} catch (err) {
  console.error(`cert-manager: --secret-store ${config.secretStore}: ${(err as Error).message}`);
  process.exit(2);
}
const propagationDelayMs = caPropagationDelayMs(config);
logger.info({ caStore: sinks.caStore.description, envoySink: sinks.envoySink.description, followsGateways: !!sinks.followGatewayNamespaces, propagationDelayMs }, "secret stores");
await runBusService({
  name: "cert-manager",
  config,
  logger,
  component: "cert-manager",
  create: (nc) =>
    new CertManagerService({
      nc,
      logger,
      caStore: sinks.caStore,
      envoySink: sinks.envoySink,
      followGatewayNamespaces: sinks.followGatewayNamespaces,
      propagationDelayMs,
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
