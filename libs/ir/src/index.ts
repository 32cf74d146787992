export * from "./gateway-ir";
export * from "./listener";
export * from "./cluster";
export * from "./tls";
export * from "./http-route";
export * from "./infrastructure";
export * from "./canonical-json";
export * from "./endpoints";
