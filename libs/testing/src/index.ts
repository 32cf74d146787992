// Test fixtures: nats-server, xDS protocol client, Gateway API manifests, certificates,
// a Kubernetes API test server
export * from "./nats";
export * from "./xds-client/index";
export * from "./manifests/index";
export * from "./certs/index";
export * from "./random/seeded-random";
export * from "./ir/gateway-ir";
export * from "./kube-api/index";
export * from "./wait/wait-for";
