// Where a forwarded request or connection goes: the route's cluster or weighted clusters,
// each looked up in CDS (a cluster that is not there answers cluster_not_found_response_code,
// 503 unless set), its endpoints from EDS (or the cluster's own load_assignment) with their
// health. Envoy balances over HEALTHY, UNKNOWN and DEGRADED endpoints; a cluster with none
// answers 503 "no healthy upstream" (with UNHEALTHY ones, its panic threshold may still use them).
import type { JsonObject } from "../resources/json";
import type { BackendOutcome, EnvoyConfig } from "./types";
import { responseCode } from "./route-action";

const USABLE = new Set(["HEALTHY", "UNKNOWN", "DEGRADED"]);

/** The clusters of a RouteAction or TcpProxy with their weights. */
export function clusterWeights(action: JsonObject): { cluster: string; weight: number }[] {
  if (typeof action.cluster === "string") return [{ cluster: action.cluster, weight: 1 }];
  const weighted = action.weighted_clusters as JsonObject | undefined;
  const list = (weighted?.clusters as JsonObject[] | undefined) ?? [];
  return list.map((c) => ({ cluster: String(c.name), weight: Number(c.weight ?? 0) }));
}

export function backendOutcomes(config: EnvoyConfig, action: JsonObject, protocol: "http" | "tcp"): BackendOutcome[] {
  const weights = clusterWeights(action);
  const total = weights.reduce((n, w) => n + w.weight, 0);
  const notFound = responseCode(action.cluster_not_found_response_code, 503);
  return weights.map(({ cluster, weight }) => {
    const percent = total > 0 ? Math.round((weight / total) * 10_000) / 100 : 0;
    const out: BackendOutcome = { cluster, weight, percent, endpoints: [] };
    const cds = config.clusters.find((c) => c.name === cluster);
    if (!cds) {
      out.failure = {
        status: protocol === "tcp" ? 0 : notFound,
        reason: `cluster ${cluster} is not in CDS (an invalid or missing backend): ${protocol === "tcp" ? "the connection is closed" : `Envoy answers ${notFound}`}`,
      };
      return out;
    }
    const cla = loadAssignment(config, cds);
    if (!cla) {
      out.failure = { status: protocol === "tcp" ? 0 : notFound, reason: `cluster ${cluster} has no endpoint assignment yet (EDS): it is still warming` };
      return out;
    }
    for (const locality of (cla.endpoints as JsonObject[] | undefined) ?? []) {
      for (const lb of (locality.lb_endpoints as JsonObject[] | undefined) ?? []) {
        const sa = (((lb.endpoint as JsonObject | undefined)?.address as JsonObject | undefined)?.socket_address ?? {}) as JsonObject;
        const address = String(sa.address ?? "?").includes(":") ? `[${String(sa.address)}]` : String(sa.address ?? "?");
        out.endpoints.push({ address: `${address}:${String(sa.port_value ?? "?")}`, health: String(lb.health_status ?? "UNKNOWN") });
      }
    }
    if (!out.endpoints.some((e) => USABLE.has(e.health))) {
      out.failure = {
        status: protocol === "tcp" ? 0 : 503,
        reason:
          out.endpoints.length === 0
            ? `cluster ${cluster} has no endpoints (no ready Pod behind the Service): ${protocol === "tcp" ? "the connection is closed" : "Envoy answers 503 no healthy upstream"}`
            : `cluster ${cluster} has no healthy endpoint (${out.endpoints.map((e) => e.health).join(", ")}): ${protocol === "tcp" ? "the connection is closed" : "Envoy answers 503 no healthy upstream"}`,
      };
    }
    return out;
  });
}

function loadAssignment(config: EnvoyConfig, cluster: JsonObject): JsonObject | undefined {
  if (cluster.load_assignment) return cluster.load_assignment as JsonObject;
  const eds = cluster.eds_cluster_config as JsonObject | undefined;
  const serviceName = typeof eds?.service_name === "string" ? eds.service_name : String(cluster.name);
  return config.loadAssignments.find((c) => c.cluster_name === serviceName);
}
