// The NATS options every service takes, in the shape of @gatehouse/runtime's
// defineConfig options (spread them into a service's spec), and their translation into
// connectBus options. Standalone mode needs only NATS_URL; the deploy manifests add TLS
// and one credentials file per service.
import type { BusConnectOptions } from "./connect";

export const BUS_CONFIG_OPTIONS = {
  nats: { type: "string", env: "NATS_URL", default: "nats://127.0.0.1:4222", description: "NATS server URL(s), comma-separated" },
  natsCreds: { type: "string", env: "NATS_CREDS", description: "NATS credentials file (JWT and nkey seed) of this service" },
  natsUser: { type: "string", env: "NATS_USER", description: "NATS user (when not using a credentials file)" },
  natsPassword: { type: "string", env: "NATS_PASSWORD", description: "NATS password of natsUser (prefer the environment to a flag)" },
  natsTlsCa: { type: "string", env: "NATS_TLS_CA", description: "CA bundle to verify the NATS server (enables TLS)" },
  natsTlsCert: { type: "string", env: "NATS_TLS_CERT", description: "client certificate for mutual TLS with NATS" },
  natsTlsKey: { type: "string", env: "NATS_TLS_KEY", description: "private key of natsTlsCert" },
} as const;

export interface BusConfig {
  nats: string;
  natsCreds?: string;
  natsUser?: string;
  natsPassword?: string;
  natsTlsCa?: string;
  natsTlsCert?: string;
  natsTlsKey?: string;
}

export function busConnectOptions(config: BusConfig, name: string): BusConnectOptions {
  const tls = config.natsTlsCa || config.natsTlsCert ? { caFile: config.natsTlsCa, certFile: config.natsTlsCert, keyFile: config.natsTlsKey } : undefined;
  return {
    servers: config.nats,
    name,
    ...(config.natsCreds ? { credsFile: config.natsCreds } : {}),
    ...(config.natsUser ? { user: config.natsUser, pass: config.natsPassword } : {}),
    ...(tls ? { tls } : {}),
  };
}
