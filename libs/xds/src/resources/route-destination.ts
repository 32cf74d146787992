// Where a route sends requests: one cluster, weighted clusters, or (when no backend is valid)
// a 500. Invalid backendRefs keep their share of the traffic by pointing at
// INVALID_BACKEND_CLUSTER, which does not exist, together with
// cluster_not_found_response_code INTERNAL_SERVER_ERROR: exactly that share gets a 500.
import type { WeightedClusters } from "@gatehouse/ir";
import type { JsonObject } from "./json";
import { INVALID_BACKEND_CLUSTER } from "./names";

export type Destination =
  | { kind: "clusters"; action: JsonObject }
  | { kind: "error"; directResponse: JsonObject };

export function httpDestination(dest: WeightedClusters): Destination {
  const valid = dest.clusters.filter((c) => c.weight > 0);
  // No valid backend, or every weight zero: the Gateway API answers 500.
  if (valid.length === 0) return { kind: "error", directResponse: { status: 500 } };
  if (dest.invalidWeight <= 0 && valid.length === 1) return { kind: "clusters", action: { cluster: valid[0].cluster } };
  const clusters: JsonObject[] = valid.map((c) => ({ name: c.cluster, weight: c.weight }));
  const action: JsonObject = {};
  if (dest.invalidWeight > 0) {
    clusters.push({ name: INVALID_BACKEND_CLUSTER, weight: dest.invalidWeight });
    action.cluster_not_found_response_code = "INTERNAL_SERVER_ERROR";
  }
  action.weighted_clusters = { clusters };
  return { kind: "clusters", action };
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
