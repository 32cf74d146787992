// Hostnames as the Gateway API CRDs define them (Hostname and PreciseHostname): an
// RFC 1123 DNS subdomain in lowercase, at most 253 characters, optionally led by a
// single "*." label when a wildcard is allowed. The CRD pattern is the contract: like
// Kubernetes' own DNS-1123 subdomain check it does not bound single labels to 63
// characters, so neither do we. IP addresses are excluded by the spec's prose.

// Exactly the CRD's pattern (without the optional wildcard prefix, handled separately).
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export const MAX_HOSTNAME_LENGTH = 253;

export interface HostnameOptions {
  /** Whether a leading "*." wildcard label is allowed (Hostname vs PreciseHostname). */
  wildcard: boolean;
}

/** Returns why `hostname` is not a valid Gateway API hostname, or undefined. */
export function hostnameError(hostname: string, opts: HostnameOptions): string | undefined {
  if (typeof hostname !== "string") return "hostname must be a string";
  if (hostname.length === 0) return "hostname must not be empty";
  if (hostname.length > MAX_HOSTNAME_LENGTH) {
    return `hostname is ${hostname.length} characters long, more than ${MAX_HOSTNAME_LENGTH}`;
  }
  let rest = hostname;
  if (hostname.startsWith("*.")) {
    if (!opts.wildcard) return `hostname ${JSON.stringify(hostname)} must not be a wildcard`;
    rest = hostname.slice(2);
  }
  if (!DNS_SUBDOMAIN.test(rest)) {
    return `hostname ${JSON.stringify(hostname)} is invalid: ${subdomainProblem(rest, opts.wildcard)}`;
  }
  if (IPV4.test(rest) && rest === hostname) {
    return `hostname ${JSON.stringify(hostname)} must be a DNS name, not an IP address`;
  }
  return undefined;
}

function subdomainProblem(name: string, wildcard: boolean): string {
  if (name.includes("*")) {
    return wildcard
      ? 'a wildcard is only allowed as the whole first label ("*.example.com")'
      : "wildcards are not allowed here";
  }
  if (name.includes(":") || name.includes("[")) return "must be a DNS name, not an IP address or host:port";
  if (/[A-Z]/.test(name)) return "must be lowercase";
  if (name.startsWith(".") || name.endsWith(".") || name.includes("..")) return "labels must not be empty";
  if (/(^|\.)-|-($|\.)/.test(name)) return "labels must start and end with a letter or digit";
  return "must consist of lowercase letters, digits, '-' and '.' (RFC 1123 subdomain)";
}
