// The Service in front of a Gateway's proxies: the listener ports, LoadBalancer unless the
// parameters say otherwise, IP families as the proxy's. Fields the API server allows only on
// externally reachable Services are left out of the others.
import type { V1Service, V1ServiceSpec } from "@kubernetes/client-node";
import { serviceIpFamilies } from "../cluster-facts";
import { selectorLabels } from "@gatehouse/kube";
import { servicePorts } from "./listener-ports";
import { objectMeta, sorted, type ProxyContext } from "./proxy-context";

/** Undefined when the Gateway has no listeners (a Service needs at least one port). */
export function proxyService(ctx: ProxyContext): V1Service | undefined {
  const ports = servicePorts(ctx);
  if (ports.length === 0) return undefined;
  const params = ctx.params.service ?? {};
  const type = params.type ?? "LoadBalancer";
  const spec: V1ServiceSpec = { type, selector: selectorLabels(ctx.gateway), ports, ...serviceIpFamilies(ctx.family, ctx.cluster) };
  if (type === "LoadBalancer") {
    if (params.loadBalancerClass) spec.loadBalancerClass = params.loadBalancerClass;
    if (params.loadBalancerSourceRanges) spec.loadBalancerSourceRanges = params.loadBalancerSourceRanges;
  }
  if (type !== "ClusterIP" && params.externalTrafficPolicy) spec.externalTrafficPolicy = params.externalTrafficPolicy;
  return { apiVersion: "v1", kind: "Service", metadata: objectMeta(ctx, sorted(params.annotations ?? {})), spec };
}
