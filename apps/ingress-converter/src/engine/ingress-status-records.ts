// The `ingress-status` bucket's wanted content: for each Ingress whose status is ours, a record
// with its Gateway's addresses as status.loadBalancer (libs/ingress ingressStatusFor), and the
// puts and deletes that bring what the bucket holds to it (content hash per key).
import { encodeKey, type StatusRecord } from "@gatehouse/bus";
import { ingressStatusFor, type IngressStatusTarget } from "@gatehouse/ingress";
import { diffByHash, type HashDiff } from "./hash-diff";

export const INGRESS_GROUP = "networking.k8s.io";

/** `gatewayStatuses`: each Gateway's `.status` by "namespace/name", as the translator published it. */
export function ingressStatusRecords(targets: Iterable<IngressStatusTarget>, gatewayStatuses: ReadonlyMap<string, unknown>): Map<string, StatusRecord> {
  const out = new Map<string, StatusRecord>();
  for (const t of targets) {
    const { namespace, name } = t.ingress;
    out.set(encodeKey({ kind: "Ingress", namespace, name }), {
      ref: { group: INGRESS_GROUP, kind: "Ingress", namespace, name },
      observedGeneration: t.generation,
      status: ingressStatusFor(gatewayStatuses.get(`${t.gateway.namespace}/${t.gateway.name}`)),
    });
  }
  return out;
}

export type StatusDiff = HashDiff<StatusRecord>;

/** `published`: content hash by key of what the bucket holds now. */
export function diffStatusRecords(published: ReadonlyMap<string, string>, wanted: ReadonlyMap<string, StatusRecord>): StatusDiff {
  return diffByHash(published, wanted);
}
