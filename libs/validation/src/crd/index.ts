// The CRD validation of Gateway API objects: entry points and the violation type.
export { validateObject, SUPPORTED_KINDS, GATEWAY_API_GROUP } from "./validate-object";
export type { GatewayApiObject, ValidateOptions } from "./validate-object";
export { validateTransition } from "./transition";
export type { Channel } from "./fields";
export type { Violation } from "./schema";
export { celRuleNames } from "./schema";
