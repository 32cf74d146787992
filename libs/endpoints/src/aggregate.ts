// All EndpointSlices of a Service, for one Service port and one proxy IP family, to the
// EndpointSet of a cluster: pick the slices of the family, match the port, merge
// duplicates, apply the health table, group by zone. Pure: the same slices in any order
// give the same set.
import type { Endpoint, EndpointSet, IPFamily, LocalityEndpoints, ServicePortRef } from "@gatehouse/ir";
import { endpointState, envoyHealth, stateRank, type EndpointState } from "./endpoint-health";
import { sliceKey, type EndpointSlice } from "./endpoint-slice";
import { matchSlicePort } from "./port-match";

interface Candidate {
  address: string;
  port: number;
  addressType: "IPv4" | "IPv6";
  state: EndpointState;
  zone: string;
  hostname?: string;
  /** The pod (or other target) behind the address, to pair its IPv4 and IPv6 addresses. */
  target?: string;
}

/** Address types a proxy of this family can reach. */
export function addressTypesFor(family: IPFamily): ReadonlySet<string> {
  return family === "IPv4" ? IPV4 : family === "IPv6" ? IPV6 : BOTH;
}
const IPV4: ReadonlySet<string> = new Set(["IPv4"]);
const IPV6: ReadonlySet<string> = new Set(["IPv6"]);
const BOTH: ReadonlySet<string> = new Set(["IPv4", "IPv6"]);

/**
 * The endpoints of `ref` for a proxy of `family`.
 *
 * - Slices of an address type the proxy cannot reach are skipped; FQDN slices always are.
 * - The same address and port in two slices (an endpoint moving between slices) is one
 *   endpoint with the more available of its states, so a move never drops a serving pod.
 * - A DualStack proxy gets each pod once: its IPv4 address when the pod has one, else its
 *   IPv6 address (pods are paired by targetRef; addresses without one are kept as is).
 * - Health follows the design's table, counted over the endpoints this proxy can use.
 */
export function aggregateEndpoints(
  slices: Iterable<EndpointSlice>,
  ref: ServicePortRef,
  family: IPFamily,
  clusterName: string,
): EndpointSet {
  const types = addressTypesFor(family);
  const ordered = [...slices].sort((a, b) => cmp(sliceKey(a), sliceKey(b)));
  const byAddress = new Map<string, Candidate>();
  for (const slice of ordered) {
    if (!types.has(slice.addressType)) continue;
    const port = matchSlicePort(slice.ports, ref);
    if (port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      const address = ep.addresses?.[0];
      if (!address) continue;
      const key = `${address}|${port}`;
      const state = endpointState(ep.conditions);
      const seen = byAddress.get(key);
      if (seen && stateRank(seen.state) >= stateRank(state)) continue;
      const target = ep.targetRef?.name
        ? `${ep.targetRef.kind ?? ""}/${ep.targetRef.namespace ?? ""}/${ep.targetRef.name}`
        : undefined;
      byAddress.set(key, {
        address,
        port,
        addressType: slice.addressType as "IPv4" | "IPv6",
        state,
        zone: ep.zone ?? "",
        hostname: ep.targetRef?.name ?? ep.hostname ?? undefined,
        target,
      });
    }
  }

  let candidates = [...byAddress.values()];
  if (family === "DualStack") candidates = onePerTarget(candidates);

  let servingCount = 0;
  for (const c of candidates) if (c.state === "serving") servingCount++;

  const byZone = new Map<string, Endpoint[]>();
  for (const c of candidates) {
    const health = envoyHealth(c.state, servingCount);
    if (!health) continue;
    const endpoint: Endpoint = { address: c.address, port: c.port, health };
    if (c.hostname) endpoint.hostname = c.hostname;
    let list = byZone.get(c.zone);
    if (!list) byZone.set(c.zone, (list = []));
    list.push(endpoint);
  }
  const localities: LocalityEndpoints[] = [...byZone.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([zone, endpoints]) => ({ zone, endpoints: endpoints.sort(compareEndpoints) }));
  return { clusterName, localities };
}

/** Drops the IPv6 address of every target that also has an IPv4 one. */
function onePerTarget(candidates: Candidate[]): Candidate[] {
  const withIPv4 = new Set<string>();
  for (const c of candidates) if (c.target && c.addressType === "IPv4") withIPv4.add(`${c.target}|${c.port}`);
  if (withIPv4.size === 0) return candidates;
  return candidates.filter((c) => c.addressType === "IPv4" || !c.target || !withIPv4.has(`${c.target}|${c.port}`));
}

function compareEndpoints(a: Endpoint, b: Endpoint): number {
  return cmp(a.address, b.address) || a.port - b.port;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
