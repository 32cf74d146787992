// Ingress status in Kubernetes mode: the ingress-converter publishes, for each Ingress of our
// IngressClasses only, its Gateway's addresses as status.loadBalancer to `ingress-status`;
// the leader writes them like every other status (StatusWriter: GET, compare, PUT only when
// different, 409 retried). The record's status is the Ingress's whole status, so loadBalancer
// is replaced, never merged with a stale address. Only Ingress records are applied from this
// bucket, and Ingresses without a record (other controllers') are never touched.
import { StatusWriteBack, type StatusWriteBackOptions } from "./status-write-back";

export const INGRESS_GROUP = "networking.k8s.io";

export function ingressStatusWriteBack(opts: Omit<StatusWriteBackOptions, "bucket" | "accepts">): StatusWriteBack {
  return new StatusWriteBack({ ...opts, bucket: "ingress-status", accepts: (r) => r.ref.group === INGRESS_GROUP && r.ref.kind === "Ingress" });
}
