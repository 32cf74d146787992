// Test fixtures: nats-server, xDS protocol client, Gateway API manifests
export * from "./nats";
export * from "./xds-client/index";
export * from "./manifests/index";
