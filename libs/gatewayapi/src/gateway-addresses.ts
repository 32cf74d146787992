// Gateway status.addresses and what spec.addresses asks of them. The proxies of a Gateway are
// reached through the Service the watcher applies for it (libs/infra; found here by its name
// and owner labels from libs/kube): a LoadBalancer Service's addresses are its load balancer
// ingress (IPs and hostnames), any other type's are its cluster IPs. Gatehouse allocates no
// address itself, so an address in spec.addresses is honoured when the Service has it (a
// load balancer told so through ProxyConfig's Service annotations, say) and reported
// otherwise, with the spec's reasons on Programmed:
//  - AddressNotAssigned: the Service has no address yet (load balancer pending), or an
//    address of a requested type without a value cannot be found among those it has;
//  - AddressNotUsable: a requested value is not among the Service's addresses.
// Unsupported address types and malformed values are Accepted=False/UnsupportedAddress
// (processors/gateways.ts). Without a proxy Service (standalone, nothing managed) the
// Gateway has no status.addresses and its conditions are what translation alone decides.
import { isIP } from "node:net";
import { ownerLabels, proxyObjectName } from "@gatehouse/kube";
import type { GatewayStatusAddress } from "./graph";
import type { KubeObject } from "./kube-types";
import { lookup, type KindIndex } from "./resource-set";

/** The CRD's maxItems of status.addresses. */
export const MAX_STATUS_ADDRESSES = 16;

/** Why Programmed is False although translation programmed the Gateway (addresses here, replicas in proxy-availability.ts). */
export interface ProgrammedOverride {
  reason: "AddressNotAssigned" | "AddressNotUsable" | "NoResources";
  message: string;
}

export interface AddressVerdict {
  addresses: GatewayStatusAddress[];
  /** Set when Programmed must be False because of addresses. */
  programmed?: ProgrammedOverride;
}

interface ServiceShape {
  spec?: { type?: string; clusterIP?: string; clusterIPs?: string[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/**
 * A proxy object of a Gateway (its Service, its Deployment): the rendered name, carrying our
 * owner labels (a user's object of that name is not ours).
 */
export function findProxyObject(index: KindIndex, gateway: { namespace: string; name: string }): KubeObject | undefined {
  const obj = lookup(index, gateway.namespace, proxyObjectName(gateway.name));
  if (!obj) return undefined;
  const labels = obj.metadata?.labels ?? {};
  // ownerLabels include the managed-by label: a user's object of that name does not match.
  return Object.entries(ownerLabels(gateway)).every(([k, v]) => labels[k] === v) ? obj : undefined;
}

/** A Service's addresses: load balancer ingress for LoadBalancer Services, cluster IPs for the others. */
export function serviceAddresses(service: KubeObject): GatewayStatusAddress[] {
  const s = service as unknown as ServiceShape;
  const out: GatewayStatusAddress[] = [];
  const add = (a: GatewayStatusAddress) => {
    if (!out.some((o) => o.type === a.type && o.value === a.value)) out.push(a);
  };
  if (s.spec?.type === "LoadBalancer") {
    for (const ing of Array.isArray(s.status?.loadBalancer?.ingress) ? s.status!.loadBalancer!.ingress! : []) {
      if (typeof ing?.ip === "string" && isIP(ing.ip) !== 0) add({ type: "IPAddress", value: ing.ip });
      else if (typeof ing?.hostname === "string" && ing.hostname !== "") add({ type: "Hostname", value: ing.hostname });
    }
    return out;
  }
  const ips = Array.isArray(s.spec?.clusterIPs) && s.spec!.clusterIPs!.length > 0 ? s.spec!.clusterIPs! : [s.spec?.clusterIP];
  for (const ip of ips) if (typeof ip === "string" && isIP(ip) !== 0) add({ type: "IPAddress", value: ip });
  return out;
}

/** Same IP whatever its spelling ("::1" and "0:0::1"); hostnames compare case-insensitively. */
function sameAddress(a: GatewayStatusAddress, type: string, value: string): boolean {
  if (a.type !== type) return false;
  if (type === "Hostname") return a.value.toLowerCase() === value.toLowerCase();
  return canonicalIp(a.value) === canonicalIp(value);
}

function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname;
  } catch {
    return ip;
  }
}

/**
 * The Gateway's status.addresses and, when spec.addresses cannot be honoured, why. `requested`
 * is spec.addresses with supported types only (IPAddress, Hostname; the type defaults to
 * IPAddress), already checked for well-formed values.
 */
export function addressVerdict(requested: readonly { type?: string; value?: string }[], assigned: readonly GatewayStatusAddress[], serviceName: string): AddressVerdict {
  const addresses = assigned.slice(0, MAX_STATUS_ADDRESSES);
  if (assigned.length === 0) {
    return { addresses, programmed: { reason: "AddressNotAssigned", message: `No address is assigned to the proxy Service ${serviceName} yet` } };
  }
  const unusable: string[] = [];
  const unassignedTypes: string[] = [];
  for (const r of requested) {
    const type = r.type ?? "IPAddress";
    if (r.value) {
      if (!assigned.some((a) => sameAddress(a, type, r.value!))) unusable.push(r.value);
    } else if (!assigned.some((a) => a.type === type)) {
      unassignedTypes.push(type);
    }
  }
  const has = assigned.map((a) => a.value).join(", ");
  if (unusable.length > 0) {
    return {
      addresses,
      programmed: { reason: "AddressNotUsable", message: `Requested address(es) ${unusable.join(", ")} are not assigned to the proxy Service ${serviceName} (it has ${has}); Gatehouse does not allocate addresses` },
    };
  }
  if (unassignedTypes.length > 0) {
    return { addresses, programmed: { reason: "AddressNotAssigned", message: `No ${unassignedTypes.join(", ")} address is assigned to the proxy Service ${serviceName} (it has ${has})` } };
  }
  return { addresses };
}
