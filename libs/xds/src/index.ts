// Envoy protos, IR to Envoy resources, PGV validation (the resource cache is in @gatehouse/ads)
export * from "./proto/envoy-protos";
export { fromJSON, fromJSONType } from "./proto/proto-json";
export { toJSON } from "./proto/proto-json-out";
export { ProtoJsonError } from "./proto/json-scalars";
export { typeForUrl, unpackAny } from "./proto/any-registry";
export { encodeResource, decodeResource, resourceVersion, ResourceValidationError } from "./proto/resource-codec";
export type { EncodedResource } from "./proto/resource-codec";
export { validateMessage, auditValidationRules } from "./validate/validator";
export type { ValidationIssue } from "./validate/validation-issue";
export { unsupportedRules, setValidationLogger } from "./validate/unsupported-rules";
export type { UnsupportedRule } from "./validate/unsupported-rules";
export { EXTRA_FIELD_RULES } from "./validate/gatehouse-rules";
// IR to Envoy resources (proto3 JSON), endpoint assignments, secrets redaction
export { buildGatewayResources, allResources } from "./resources/gateway-resources";
export type { GatewayResources, BuildOptions } from "./resources/gateway-resources";
export { buildClusterLoadAssignment } from "./resources/endpoint-type";
export { ClaEncoder } from "./resources/cla-encoder";
export { redactSecret, REDACTED } from "./resources/secret-type";
export { INVALID_BACKEND_CLUSTER } from "./resources/names";
export { listenerAddress, anyAddress, loopbackAddress } from "./resources/socket-address";
export {
  LISTENER_TYPE,
  ROUTE_CONFIGURATION_TYPE,
  CLUSTER_TYPE,
  CLUSTER_LOAD_ASSIGNMENT_TYPE,
  SECRET_TYPE,
  RESOURCE_TYPES,
  resourceTypeByUrl,
} from "./resources/resource-type";
export type { EnvoyResource, ResourceOrigin, ResourceType } from "./resources/resource-type";
export type { JsonObject, JsonValue } from "./resources/json";
// Envoy bootstrap of a Gateway's proxies
export { buildBootstrap, BOOTSTRAP_TYPE_NAME, XDS_CLUSTER } from "./bootstrap/bootstrap";
export { bootstrapOptions, parseHostPort, BOOTSTRAP_DEFAULTS } from "./bootstrap/bootstrap-options";
export type { BootstrapOptions, BootstrapInput } from "./bootstrap/bootstrap-options";
export { sdsFiles, sdsSecrets } from "./bootstrap/sds-files";
// The gate before publishing: validate, prune broken routes/chains, map failures to IR sources
export { validateGatewayResources, validateResource } from "./resources/validate-resources";
export type { ValidatedResources, ValidationFailure } from "./resources/validate-resources";
export { checkedBootstrap } from "./bootstrap/validate-bootstrap";
export type { CheckedBootstrap } from "./bootstrap/validate-bootstrap";
// `gatehouse explain`: a request walked through the Envoy resources as Envoy matches them
export * from "./explain/index";
// Translate, check against Envoy's rules, fold failures into status: the one path the
// translator and `gatehouse translate` share
export { translateAndCheck } from "./check/translate-and-check";
export type { TranslateAndCheckOptions, CheckedTranslation } from "./check/translate-and-check";
export { XdsChecker } from "./check/xds-check";
