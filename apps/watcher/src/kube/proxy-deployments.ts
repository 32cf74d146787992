// Our proxies' Deployments, as the watcher publishes them. Translation reads one thing of a
// Deployment (how many replicas are available, for the Gateway's Programmed condition), so
// only the Deployments we applied are watched (a label-selected informer: never every
// Deployment of the cluster) and each is published cut down to its identity, labels and
// replica counts. The cut-down form has no resourceVersion, so the status churn of a
// rollout (observedGeneration, conditions' timestamps, updatedReplicas) publishes nothing
// unless a count the translator reads changed (ClusterInformers compares before putting).
import { PROXY_OBJECTS_SELECTOR, type KubeObject } from "@gatehouse/kube";

/** Kinds watched through a label selector instead of whole, with the selector. */
export const LABEL_SELECTED_KINDS: Readonly<Record<string, string>> = { Deployment: PROXY_OBJECTS_SELECTOR };

/** The status fields of a Deployment translation reads; absent ones stay absent (Kubernetes omits zeros). */
const REPLICA_FIELDS = ["replicas", "readyReplicas", "availableReplicas"] as const;

/** A Deployment as published: apiVersion, kind, name, namespace, uid, labels and replica counts. */
export function proxyDeploymentSummary(obj: KubeObject): KubeObject {
  const { name, namespace, uid, labels } = obj.metadata;
  const status = (obj as { status?: Record<string, unknown> | null }).status;
  const counts: Record<string, number> = {};
  for (const field of REPLICA_FIELDS) {
    const v = status?.[field];
    if (typeof v === "number") counts[field] = v;
  }
  const metadata = { name, ...(namespace === undefined ? {} : { namespace }), ...(uid === undefined ? {} : { uid }), ...(labels ? { labels } : {}) };
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata, status: counts } as KubeObject;
}

/** What the watcher publishes of an object of a kind it cuts down, or undefined when it publishes the object whole. */
export function summaryOf(obj: KubeObject): KubeObject | undefined {
  return obj.kind === "Deployment" ? proxyDeploymentSummary(obj) : undefined;
}
