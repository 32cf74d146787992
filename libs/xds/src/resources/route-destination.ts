// Where a route sends requests: one cluster, weighted clusters, or (when no backend is valid)
// a 500. Invalid backendRefs keep their share of the traffic by pointing at
// INVALID_BACKEND_CLUSTER, which does not exist, together with
// cluster_not_found_response_code INTERNAL_SERVER_ERROR: exactly that share gets a 500.
import type { WeightedCluster, WeightedClusters } from "@gatehouse/ir";
import type { JsonObject } from "./json";
import { INVALID_BACKEND_CLUSTER } from "./names";
import { headerMutations } from "./route-headers";

export type Destination =
  | { kind: "clusters"; action: JsonObject }
  | { kind: "error"; directResponse: JsonObject };

export function httpDestination(dest: WeightedClusters): Destination {
  const valid = dest.clusters.filter((c) => c.weight > 0);
  // No valid backend, or every weight zero: the Gateway API answers 500.
  if (valid.length === 0) return { kind: "error", directResponse: { status: 500 } };
  // Per-backend settings (backendRef filters) live on ClusterWeight, so a backend that has
  // them stays a weighted cluster even when it is the only one.
  if (dest.invalidWeight <= 0 && valid.length === 1 && !hasPerBackendSettings(valid[0])) return { kind: "clusters", action: { cluster: valid[0].cluster } };
  const clusters: JsonObject[] = valid.map(clusterWeight);
  const action: JsonObject = {};
  if (dest.invalidWeight > 0) {
    clusters.push({ name: INVALID_BACKEND_CLUSTER, weight: dest.invalidWeight });
    action.cluster_not_found_response_code = "INTERNAL_SERVER_ERROR";
  }
  action.weighted_clusters = { clusters };
  return { kind: "clusters", action };
}

function hasPerBackendSettings(c: WeightedCluster): boolean {
  return c.requestHeaders !== undefined || c.responseHeaders !== undefined || c.hostRewrite !== undefined;
}

/** envoy.config.route.v3.WeightedCluster.ClusterWeight, with the backend's own header changes and host rewrite. */
function clusterWeight(c: WeightedCluster): JsonObject {
  const out: JsonObject = { name: c.cluster, weight: c.weight };
  Object.assign(out, headerMutations(c.requestHeaders, "request"), headerMutations(c.responseHeaders, "response"));
  if (c.hostRewrite !== undefined) out.host_rewrite_literal = c.hostRewrite;
  return out;
}

/**
 * tcp_proxy's cluster specifier. With no valid backend, connections go to the cluster that
 * does not exist and are closed at once; invalid weight keeps its share the same way.
 */
export function tcpDestination(dest: WeightedClusters | undefined): JsonObject {
  const valid = (dest?.clusters ?? []).filter((c) => c.weight > 0);
  const invalidWeight = dest?.invalidWeight ?? 0;
  if (valid.length === 0) return { cluster: INVALID_BACKEND_CLUSTER };
  if (invalidWeight <= 0 && valid.length === 1) return { cluster: valid[0].cluster };
  const clusters: JsonObject[] = valid.map((c) => ({ name: c.cluster, weight: c.weight }));
  if (invalidWeight > 0) clusters.push({ name: INVALID_BACKEND_CLUSTER, weight: invalidWeight });
  return { weighted_clusters: { clusters } };
}
