// ClusterLoadAssignment from an EndpointSet (libs/endpoints computes those on the fast path),
// as validated Envoy JSON. The fast path encodes the same message straight to bytes with
// ClaEncoder (cla-encoder.ts), tested byte-equal to this.
// Health comes already decided; a locality per zone, in the set's order.
import type { EndpointSet, LocalityEndpoints } from "@gatehouse/ir";
import type { JsonObject } from "./json";
import { socketAddress } from "./socket-address";
import { CLUSTER_LOAD_ASSIGNMENT_TYPE, type EnvoyResource } from "./resource-type";

export function buildClusterLoadAssignment(set: EndpointSet): EnvoyResource {
  const json: JsonObject = {
    cluster_name: set.clusterName,
    endpoints: set.localities.filter((l) => l.endpoints.length > 0).map(localityEndpoints),
  };
  return { name: set.clusterName, typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE.typeUrl, json };
}

function localityEndpoints(locality: LocalityEndpoints): JsonObject {
  const out: JsonObject = {};
  if (locality.zone !== "") out.locality = { zone: locality.zone };
  out.lb_endpoints = locality.endpoints.map((e) => {
    const endpoint: JsonObject = { address: socketAddress(e.address, e.port) };
    if (e.hostname) endpoint.hostname = e.hostname;
    return { endpoint, health_status: e.health };
  });
  return out;
}
