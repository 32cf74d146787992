// Entry point: one Gateway, its merged ProxyConfig parameters and the cluster's facts in,
// the Kubernetes objects of its Envoy proxies out, in apply order. Pure and deterministic:
// the same input renders byte-identical objects, so the applier can skip unchanged ones.
import type {
  V1ConfigMap,
  V1Deployment,
  V1PodDisruptionBudget,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V2HorizontalPodAutoscaler,
} from "@kubernetes/client-node";
import type { ClusterFacts } from "../cluster-facts";
import type { GatewayInput, ProxyConfigSpec } from "@gatehouse/gatewayapi";
import { MANAGED_BY, MANAGED_BY_LABEL } from "@gatehouse/kube";
import { bootstrapConfigMap, configDigest } from "./bootstrap-config-map";
import { ENVOY_CLIENT_CERT_SECRET, proxyDeployment } from "./proxy-deployment";
import { objectMeta, proxyContext } from "./proxy-context";
import { proxyService } from "./proxy-service";
import { proxyAutoscaler, proxyDisruptionBudget } from "./scaling";

export type InfraObject = (V1ServiceAccount | V1ConfigMap | V1Deployment | V1Service | V2HorizontalPodAutoscaler | V1PodDisruptionBudget | V1Secret) & {
  apiVersion: string;
  kind: string;
};

export interface RenderedInfrastructure {
  /** The proxy objects of the Gateway, owned by it: ServiceAccount, ConfigMap, Deployment, Service, HPA, PDB. */
  objects: InfraObject[];
  /**
   * The client certificate Secret of the Gateway's namespace, empty: cert-manager fills it
   * (it may update that one name but not create Secrets). Shared by every Gateway of the
   * namespace, so it has no owner; apply it only when it does not exist.
   */
  clientCertSecret: V1Secret & { apiVersion: string; kind: string };
}

export function renderInfrastructure(gateway: GatewayInput, params: ProxyConfigSpec, cluster: ClusterFacts): RenderedInfrastructure {
  const ctx = proxyContext(gateway, params, cluster);
  const configMap = bootstrapConfigMap(ctx);
  const objects: InfraObject[] = [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: objectMeta(ctx), automountServiceAccountToken: false },
    configMap as InfraObject,
    proxyDeployment(ctx, configDigest(configMap)) as InfraObject,
  ];
  for (const o of [proxyService(ctx), proxyAutoscaler(ctx), proxyDisruptionBudget(ctx)]) if (o) objects.push(o as InfraObject);
  const clientCertSecret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: ENVOY_CLIENT_CERT_SECRET, namespace: ctx.gateway.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    type: "Opaque",
  };
  return { objects, clientCertSecret };
}
