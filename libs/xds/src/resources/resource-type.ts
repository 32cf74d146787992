// The shared shape of every Envoy resource Gatehouse builds, and the per-type descriptor
// (after @grpc/grpc-js-xds's xds-resource-type files): a type URL, the proto message name
// the validator checks against, and how to name and sort resources of that type.
import type { NamespacedName, IPFamily, RouteSource } from "@gatehouse/ir";
import type { JsonObject } from "./json";
import { typeUrlOf } from "./json";

/**
 * Where a part of a resource came from, so that a validation failure inside it is reported
 * on the right Gateway API object. `path` addresses the part in the resource's JSON
 * (["virtual_hosts", 0, "routes", 3]); a `prunable` part may be cut out of the resource on
 * its own (one broken route must not take the whole RouteConfiguration down with it).
 */
export interface ResourceOrigin {
  path: (string | number)[];
  /** The IR object's own name (route or filter chain name). */
  irName: string;
  route?: RouteSource;
  /** Gateway listeners served, as "namespace/gateway/listenerName". */
  listeners?: string[];
  /** The policy that shaped this part ("namespace/name" of a BackendTLSPolicy). */
  policy?: string;
  prunable: boolean;
}

/** One Envoy resource: its name, type URL and message in proto3 JSON (without "@type"). */
export interface EnvoyResource {
  name: string;
  typeUrl: string;
  json: JsonObject;
  /** Origins of parts of the resource, most specific paths last. Absent for endpoints. */
  origins?: ResourceOrigin[];
}

/** What every builder needs to know about the Gateway it builds for. */
export interface BuildContext {
  gateway: NamespacedName;
  /** "namespace/name": prefixes the names of listeners and route configurations. */
  gatewayKey: string;
  ipFamily: IPFamily;
}

export interface ResourceType {
  /** Fully qualified proto message name, for the validator. */
  typeName: string;
  typeUrl: string;
  /** The field of the config dump entry that holds resources of this type. */
  kind: "listener" | "route" | "cluster" | "endpoint" | "secret";
}

function resourceType(kind: ResourceType["kind"], typeName: string): ResourceType {
  return { kind, typeName, typeUrl: typeUrlOf(typeName) };
}

export const LISTENER_TYPE = resourceType("listener", "envoy.config.listener.v3.Listener");
export const ROUTE_CONFIGURATION_TYPE = resourceType("route", "envoy.config.route.v3.RouteConfiguration");
export const CLUSTER_TYPE = resourceType("cluster", "envoy.config.cluster.v3.Cluster");
export const CLUSTER_LOAD_ASSIGNMENT_TYPE = resourceType("endpoint", "envoy.config.endpoint.v3.ClusterLoadAssignment");
export const SECRET_TYPE = resourceType("secret", "envoy.extensions.transport_sockets.tls.v3.Secret");

export const RESOURCE_TYPES: readonly ResourceType[] = [
  LISTENER_TYPE,
  ROUTE_CONFIGURATION_TYPE,
  CLUSTER_TYPE,
  CLUSTER_LOAD_ASSIGNMENT_TYPE,
  SECRET_TYPE,
];

export function resourceTypeByUrl(typeUrl: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.typeUrl === typeUrl);
}

/** Sorts by name with a locale-independent comparison, so order never depends on the host. */
export function sortByName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
