// Test fixtures: nats-server, xDS protocol client
export * from "./nats";
export * from "./xds-client/index";
