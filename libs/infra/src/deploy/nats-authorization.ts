// The NATS users of the deploy manifests (deploy/base/nats/auth.conf): one per service,
// with the publish/subscribe permissions libs/bus derives from the bucket declarations, and
// the password read by nats-server from its environment (the gatehouse-nats-users Secret).
// The watcher may also create the streams: it starts first and runs ensureBus.
import { busServices, natsAuthorizationConfig } from "@gatehouse/bus";

/** The environment variable (and Secret key) holding a service's NATS password. */
export function natsPasswordVariable(service: string): string {
  return `${service.toUpperCase().replace(/-/g, "_")}_PASSWORD`;
}

export const STREAM_MANAGER = "watcher";

export function deployNatsAuthorization(): string {
  const users = busServices().map((service) => ({
    user: service,
    service,
    password: { env: natsPasswordVariable(service) },
    manageStreams: service === STREAM_MANAGER,
  }));
  return `# Generated from libs/bus permissions by libs/infra (deployNatsAuthorization); regenerate with\n# UPDATE_GOLDEN=1 npx vitest run src/deploy in libs/infra.\n${natsAuthorizationConfig(users)}`;
}
