// Which ClusterLoadAssignment a Cluster waits for. Envoy warms a changed EDS cluster until a
// ClusterLoadAssignment arrives for it, so a stream that sends a changed Cluster must follow
// it with that assignment; this tells the stream its name.
import { messageType, TYPE_URLS } from "@gatehouse/xds";
import type { XdsResource } from "./xds-resource";

const EDS = 3; // envoy.config.cluster.v3.Cluster.DiscoveryType.EDS
const memo = new WeakMap<XdsResource, string | null>();

/** The EDS service name of a Cluster resource, or undefined when it is not an EDS cluster. */
export function clusterEdsName(resource: XdsResource): string | undefined {
  if (resource.typeUrl !== TYPE_URLS.cluster) return undefined;
  let name = memo.get(resource);
  if (name === undefined) {
    name = decodeEdsName(resource);
    memo.set(resource, name);
  }
  return name ?? undefined;
}

function decodeEdsName(resource: XdsResource): string | null {
  try {
    const cluster = messageType(TYPE_URLS.cluster).decode(resource.bytes) as unknown as {
      type?: number;
      eds_cluster_config?: { service_name?: string };
    };
    if (cluster.type !== EDS) return null;
    return cluster.eds_cluster_config?.service_name || resource.name;
  } catch {
    // Bytes that do not decode as a Cluster reference nothing we can follow.
    return null;
  }
}
