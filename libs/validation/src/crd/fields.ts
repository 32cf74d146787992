// The CRDs' reusable field types (Group, Kind, ObjectName, Namespace, SectionName,
// PortNumber, Hostname, HTTPHeaderName, Duration, ...), each with exactly the pattern
// and bounds the Gateway API v1.6.1 CRDs declare.
import { int, str } from "./schema";

const DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

export const group = str({ maxLength: 253, pattern: /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/ });
export const kind = str({ minLength: 1, maxLength: 63, pattern: /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/ });
export const objectName = str({ minLength: 1, maxLength: 253 });
export const namespace = str({ minLength: 1, maxLength: 63, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ });
export const sectionName = str({ minLength: 1, maxLength: 253, pattern: new RegExp(DNS_SUBDOMAIN) });
export const dnsSubdomain = sectionName;
export const portNumber = int({ minimum: 1, maximum: 65535 });
export const hostname = str({
  minLength: 1,
  maxLength: 253,
  pattern: /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
});
export const preciseHostname = str({ minLength: 1, maxLength: 253, pattern: new RegExp(DNS_SUBDOMAIN) });
export const headerName = str({
  minLength: 1,
  maxLength: 256,
  pattern: /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/,
  patternText: "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$",
});
/** Which CRD channel's schema to check against: the experimental CRDs are a superset
 * of the standard ones but also stricter in places (header values). */
export type Channel = "standard" | "experimental";

/** Header values in filters and in HTTP header matches: printable, single spaces or tabs
 * in the experimental CRDs; only the length is bounded in the standard ones. */
export const headerValue = str({ minLength: 1, maxLength: 4096, pattern: /^[!-~]+([\t ]?[!-~]+)*$/ });
const headerValueStandard = str({ minLength: 1, maxLength: 4096 });

export function headerValueFor(channel: Channel) {
  return channel === "standard" ? headerValueStandard : headerValue;
}
export const duration = str({ pattern: /^([0-9]{1,5}(h|m|s|ms)){1,4}$/ });
export const controllerName = str({
  minLength: 1,
  maxLength: 253,
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/,
  patternText: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$",
});
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const;
