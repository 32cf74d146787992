// Configuration, logging, health and metrics server, shutdown: what every service's main uses
// (and free local ports and child processes for what starts services side by side).
export * from "./config";
export * from "./logger";
export * from "./health-server";
export * from "./service";
export * from "./shutdown";
export * from "./metrics";
export * from "./ports";
export * from "./child-process";
export * from "./parent-watch";
export * from "./nats-server";
export * from "./backoff";
export * from "./lru-cache";
export * from "./service-probe";
export * from "./listen";
