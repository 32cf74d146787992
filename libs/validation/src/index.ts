// Checks on Gateway API resources and on what Envoy will accept: hostnames, RE2 regular
// expressions, and (as they land) the CRD schema and CEL rules, listener conflicts,
// weights, header names and values, durations, paths and ports.
export { re2Error, re2CacheSize, MAX_REGEX_LENGTH } from "./re2";
export { hostnameError, MAX_HOSTNAME_LENGTH } from "./hostname";
export type { HostnameOptions } from "./hostname";
export { LruCache } from "./lru-cache";
