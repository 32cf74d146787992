// Checks on Gateway API resources and on what Envoy will accept: the CRD schema and CEL
// rules, listener conflicts, hostnames, RE2 regular expressions, header names and values,
// durations and label selectors. Every check returns values; none throws. (What Envoy's own
// rules refuse in the generated resources is libs/xds's PGV validation.)
export { re2Error, re2CacheSize, MAX_REGEX_LENGTH } from "./re2";
export { hostnameError, MAX_HOSTNAME_LENGTH } from "./hostname";
export type { HostnameOptions } from "./hostname";
export { headerNameError, headerValueError, MAX_HEADER_NAME_LENGTH, MAX_HEADER_VALUE_LENGTH } from "./headers";
export { durationError, parseDuration } from "./duration";
export { pathError, pathMatchViolations, PATH_MATCH_RULES, MAX_PATH_LENGTH } from "./path";
export type { PathKind } from "./path";
export {
  findListenerConflicts,
  duplicateListenerNames,
  PROTOCOL_CONFLICT_MESSAGE,
  HOSTNAME_CONFLICT_MESSAGE,
} from "./listeners";
export type { ListenerShape, ListenerConflict, ListenerConflictReason } from "./listeners";
export { validateObject, validateTransition, SUPPORTED_KINDS, GATEWAY_API_GROUP } from "./crd";
export type { GatewayApiObject, ValidateOptions, Channel, Violation } from "./crd";
export { celRuleNames } from "./crd";
export { labelSelectorError, labelKeyError, labelValueError, compileSelector } from "./label-selector";
export type { LabelSelectorShape, SelectorResult } from "./label-selector";
export { shapeViolations, SHAPED_KINDS } from "./object-shape";
export { validateProxyConfig, PROXY_CONFIG_GROUP, PROXY_CONFIG_KIND } from "./crd/proxy-config";
