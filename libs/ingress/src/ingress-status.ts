// The status an Ingress should have: the addresses of the Gateway its routes attach to, as
// status.loadBalancer.ingress[] (an IP for IPAddress addresses, a hostname for Hostname ones).
// Addresses the Ingress API would refuse (a malformed IP or hostname, another address type)
// are left out, so one bad address never blocks the write of the others.
import { isIP } from "node:net";
import { hostnameError } from "@gatehouse/validation";

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

/** The Ingress's `.status`: `{ loadBalancer: {} }` while the Gateway has no address, which clears a stale one. */
export interface IngressStatus {
  loadBalancer: { ingress?: LoadBalancerIngress[] };
}

/** `gatewayStatus`: the Gateway's `.status` as the translator publishes it (or undefined while it has none). */
export function ingressStatusFor(gatewayStatus: unknown): IngressStatus {
  const addresses = (gatewayStatus as { addresses?: unknown } | undefined)?.addresses;
  const out: LoadBalancerIngress[] = [];
  const seen = new Set<string>();
  for (const a of Array.isArray(addresses) ? addresses : []) {
    const type = typeof a?.type === "string" ? a.type : "IPAddress";
    const value = typeof a?.value === "string" ? a.value : "";
    let entry: LoadBalancerIngress | undefined;
    if (type === "IPAddress" && isIP(value) !== 0) entry = { ip: value };
    else if (type === "Hostname" && value !== "" && !hostnameError(value.toLowerCase(), { wildcard: false })) entry = { hostname: value.toLowerCase() };
    if (!entry) continue;
    const key = JSON.stringify(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return { loadBalancer: out.length > 0 ? { ingress: out } : {} };
}
