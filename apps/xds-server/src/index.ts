// Aggregated Discovery Service for Envoy
export * from "./server/index";
export * from "./endpoints/index";
