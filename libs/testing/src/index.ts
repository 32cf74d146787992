// Test fixtures: nats-server, xDS protocol client
export * from "./nats";
