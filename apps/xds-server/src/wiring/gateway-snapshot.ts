// One Gateway's IR to the encoded resources the cache holds. Every resource passes
// libs/xds's validateGatewayResources (strict proto3 JSON conversion and Envoy's PGV rules;
// a broken route or filter chain is cut out, a broken resource left out), so a proxy is
// never sent something it would reject. Endpoints are not built here: the endpoint fast
// path owns ClusterLoadAssignments.
import type { GatewayIR, IPFamily } from "@gatehouse/ir";
import { xdsResource, type XdsResource } from "@gatehouse/ads";
import { buildGatewayResources, TYPE_URLS, validateGatewayResources, type ValidationFailure } from "@gatehouse/xds";

export interface GatewaySnapshot {
  /** Full sets by type URL: listeners, routes, clusters and secrets (possibly empty). */
  byType: Record<string, XdsResource[]>;
  /** What was cut out or left out, with why. */
  failures: ValidationFailure[];
}

const SNAPSHOT_TYPES = [TYPE_URLS.listener, TYPE_URLS.route, TYPE_URLS.cluster, TYPE_URLS.secret];

export function buildGatewaySnapshot(ir: GatewayIR, defaultFamily: IPFamily): GatewaySnapshot {
  const byType: Record<string, XdsResource[]> = {};
  for (const t of SNAPSHOT_TYPES) byType[t] = [];
  const { encoded, failures } = validateGatewayResources(buildGatewayResources(ir, { ipFamily: defaultFamily }));
  for (const e of encoded) (byType[e.typeUrl] ??= []).push(xdsResource(e.typeUrl, e.name, e.bytes, e.version));
  return { byType, failures };
}
