// Optional HorizontalPodAutoscaler and PodDisruptionBudget of a Gateway's proxies.
import type { V1PodDisruptionBudget, V2HorizontalPodAutoscaler } from "@kubernetes/client-node";
import { selectorLabels } from "@gatehouse/kube";
import { objectMeta, type ProxyContext } from "./proxy-context";

const DEFAULT_CPU_UTILIZATION = 80;

export function proxyAutoscaler(ctx: ProxyContext): V2HorizontalPodAutoscaler | undefined {
  const a = ctx.params.autoscaling;
  if (!a) return undefined;
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: objectMeta(ctx),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: ctx.name },
      minReplicas: a.minReplicas ?? 1,
      maxReplicas: a.maxReplicas,
      metrics: a.metrics ?? [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: DEFAULT_CPU_UTILIZATION } } },
      ],
    },
  };
}

export function proxyDisruptionBudget(ctx: ProxyContext): V1PodDisruptionBudget | undefined {
  const b = ctx.params.podDisruptionBudget;
  if (!b) return undefined;
  const spec: V1PodDisruptionBudget["spec"] = { selector: { matchLabels: selectorLabels(ctx.gateway) } };
  if (b.minAvailable !== undefined) spec.minAvailable = b.minAvailable;
  else if (b.maxUnavailable !== undefined) spec.maxUnavailable = b.maxUnavailable;
  return { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: objectMeta(ctx), spec };
}
