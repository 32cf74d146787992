// Envoy protos, IR to Envoy resources, PGV validation, resource cache
export * from "./cache/index";
export * from "./proto/envoy-protos";
export { fromJSON, fromJSONType } from "./proto/proto-json";
export { toJSON } from "./proto/proto-json-out";
export { ProtoJsonError } from "./proto/json-scalars";
export { typeForUrl, typeUrlFor, unpackAny } from "./proto/any-registry";
export { encodeResource, decodeResource, resourceVersion, toAny, ResourceValidationError } from "./proto/resource-codec";
export type { EncodedResource } from "./proto/resource-codec";
export { validateMessage, auditValidationRules } from "./validate/validator";
export type { ValidationIssue } from "./validate/validation-issue";
export { unsupportedRules, setValidationLogger } from "./validate/unsupported-rules";
export type { UnsupportedRule } from "./validate/unsupported-rules";
export { EXTRA_FIELD_RULES } from "./validate/gatehouse-rules";
