export { startNatsServer } from "./nats-server";
export type { NatsServerHandle, NatsServerOptions } from "./nats-server";
