// What every rendered object of one Gateway shares: its name, namespace, labels, owner
// reference, IP family and the merged parameters.
import type { IPFamily } from "@gatehouse/ir";
import type { V1ObjectMeta, V1OwnerReference } from "@kubernetes/client-node";
import { proxyIpFamily, type GatewayInput, type ProxyConfigSpec } from "@gatehouse/gatewayapi";
import type { ClusterFacts } from "../cluster-facts";
import { ownerLabels, proxyObjectName } from "@gatehouse/kube";

export const GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";

export interface ProxyContext {
  gateway: { namespace: string; name: string };
  gatewayObject: GatewayInput;
  name: string;
  params: ProxyConfigSpec;
  cluster: ClusterFacts;
  family: IPFamily;
  /** Labels of every object: spec.infrastructure.labels under ours. */
  labels: Record<string, string>;
  /** spec.infrastructure.annotations. */
  annotations: Record<string, string>;
}

export function proxyContext(gateway: GatewayInput, params: ProxyConfigSpec, cluster: ClusterFacts): ProxyContext {
  const ref = { namespace: gateway.metadata.namespace ?? "default", name: gateway.metadata.name };
  const infra = gateway.spec.infrastructure ?? {};
  return {
    gateway: ref,
    gatewayObject: gateway,
    name: proxyObjectName(ref.name),
    params,
    cluster,
    family: proxyIpFamily(params.ipFamily, cluster.ipFamilies),
    labels: { ...(infra.labels ?? {}), ...ownerLabels(ref) },
    annotations: { ...(infra.annotations ?? {}) },
  };
}

/** The Gateway as the controlling owner, so deleting it deletes what we made for it. */
function ownerReference(ctx: ProxyContext): V1OwnerReference[] | undefined {
  const uid = ctx.gatewayObject.metadata.uid;
  // Without a uid (file mode: no API server) there is nothing an owner reference could name.
  if (!uid) return undefined;
  return [{ apiVersion: GATEWAY_API_VERSION, kind: "Gateway", name: ctx.gateway.name, uid, controller: true, blockOwnerDeletion: true }];
}

/** metadata of a rendered object; `annotations` are added to the Gateway's infrastructure annotations. */
export function objectMeta(ctx: ProxyContext, annotations: Record<string, string> = {}): V1ObjectMeta {
  const all = { ...ctx.annotations, ...annotations };
  const meta: V1ObjectMeta = { name: ctx.name, namespace: ctx.gateway.namespace, labels: sorted(ctx.labels) };
  if (Object.keys(all).length > 0) meta.annotations = sorted(all);
  const owners = ownerReference(ctx);
  if (owners) meta.ownerReferences = owners;
  return meta;
}

/** Keys in order, so the same input renders byte-identical output. */
export function sorted(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
