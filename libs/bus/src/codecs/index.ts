export * from "./codec";
export * from "./resource-codec";
export * from "./endpoint-slice-codec";
export * from "./ir-codec";
export * from "./status-codec";
export * from "./xds-event-codec";
export * from "./cert-codec";
