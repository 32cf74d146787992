// The CRD validation of Gateway API objects: one entry point and the violation type.
export { validateObject, SUPPORTED_KINDS, GATEWAY_API_GROUP } from "./validate-object";
export type { GatewayApiObject } from "./validate-object";
export type { Violation } from "./schema";
export { celRuleNames } from "./schema";
