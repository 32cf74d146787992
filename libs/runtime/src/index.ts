// Configuration, logging, health and metrics server, shutdown: what every service's main uses.
export * from "./config";
export * from "./logger";
export * from "./health-server";
export * from "./service";
export * from "./shutdown";
export * from "./metrics";
