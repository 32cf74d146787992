// IR of one Gateway to its Envoy resources: listeners, route configurations, clusters and
// secrets, each sorted by name. Pure: the same IR gives byte-identical resources.
import { gatewayKey, type GatewayIR, type IPFamily } from "@gatehouse/ir";
import { buildListener } from "./listener-type";
import { buildRouteConfiguration } from "./route-config-type";
import { buildCluster } from "./cluster-type";
import { buildSecret } from "./secret-type";
import { sortByName, type BuildContext, type EnvoyResource } from "./resource-type";

export interface GatewayResources {
  listeners: EnvoyResource[];
  routes: EnvoyResource[];
  clusters: EnvoyResource[];
  secrets: EnvoyResource[];
}

export interface BuildOptions {
  /** The proxies' IP family when the IR does not set one (the cluster's default). */
  ipFamily: IPFamily;
}

export function buildGatewayResources(ir: GatewayIR, opts: BuildOptions): GatewayResources {
  const ctx: BuildContext = { gateway: ir.gateway, gatewayKey: gatewayKey(ir.gateway), ipFamily: ir.ipFamily ?? opts.ipFamily };
  const routes = new Map<string, EnvoyResource>();
  for (const listener of ir.listeners) {
    for (const chain of listener.filterChains) {
      if (chain.kind !== "http") continue;
      const rc = buildRouteConfiguration(chain, ctx);
      // Chains may share a route configuration; it is the same one, build it once.
      if (!routes.has(rc.name)) routes.set(rc.name, rc);
    }
  }
  return {
    listeners: sortByName(ir.listeners.map((l) => buildListener(l, ctx))),
    routes: sortByName([...routes.values()]),
    clusters: sortByName(ir.clusters.map((c) => buildCluster(c, ctx))),
    secrets: sortByName(ir.secrets.map(buildSecret)),
  };
}

/** All resources in one list, listeners first (the order of the config dump). */
export function allResources(resources: GatewayResources): EnvoyResource[] {
  return [...resources.listeners, ...resources.routes, ...resources.clusters, ...resources.secrets];
}
