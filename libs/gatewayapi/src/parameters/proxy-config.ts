// The ProxyConfig custom resource (gateway.gatehouse.dev/v1alpha1): how the Envoy proxies of
// a Gateway are shaped. A GatewayClass's spec.parametersRef and a Gateway's
// spec.infrastructure.parametersRef point at one; the Gateway's wins field by field.
// Kubernetes-native parts (resources, affinity, ...) use @kubernetes/client-node's model
// types (type-only imports: nothing of that package is loaded at run time).
import type { IPFamily } from "@gatehouse/ir";
import type {
  IntOrString,
  V1Affinity,
  V1DeploymentStrategy,
  V1EnvVar,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1Toleration,
  V1TopologySpreadConstraint,
  V2MetricSpec,
} from "@kubernetes/client-node";

import { PROXY_CONFIG_GROUP, PROXY_CONFIG_KIND } from "@gatehouse/validation";

export { PROXY_CONFIG_GROUP, PROXY_CONFIG_KIND };
export const PROXY_CONFIG_VERSION = "v1alpha1";
export const PROXY_CONFIG_API_VERSION = `${PROXY_CONFIG_GROUP}/${PROXY_CONFIG_VERSION}`;

export type ServiceType = "LoadBalancer" | "ClusterIP" | "NodePort";
export type EnvoyLogLevel = "trace" | "debug" | "info" | "warning" | "error" | "critical" | "off";

export interface ProxyDeploymentParameters {
  /** Ignored while autoscaling is set (the HorizontalPodAutoscaler owns the count). */
  replicas?: number;
  strategy?: V1DeploymentStrategy;
  /** Envoy image; it must contain bash (the preStop drain uses it), as envoyproxy/envoy does. */
  image?: string;
  resources?: V1ResourceRequirements;
  /** Extra environment variables of the Envoy container. */
  env?: V1EnvVar[];
}

export interface ProxyPodParameters {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  affinity?: V1Affinity;
  topologySpreadConstraints?: V1TopologySpreadConstraint[];
  securityContext?: V1PodSecurityContext;
  priorityClassName?: string;
}

export interface ProxyServiceParameters {
  /** Default LoadBalancer. */
  type?: ServiceType;
  annotations?: Record<string, string>;
  loadBalancerClass?: string;
  loadBalancerSourceRanges?: string[];
  externalTrafficPolicy?: "Cluster" | "Local";
}

export interface ProxyAutoscalingParameters {
  minReplicas?: number;
  maxReplicas: number;
  /** Default: 80% average CPU utilisation. */
  metrics?: V2MetricSpec[];
}

/** Exactly one of the two. */
export interface ProxyDisruptionBudgetParameters {
  minAvailable?: IntOrString;
  maxUnavailable?: IntOrString;
}

export interface ProxyEnvoyParameters {
  logLevel?: EnvoyLogLevel;
  /** Worker threads (Envoy's --concurrency); default: Envoy's (one per CPU it sees). */
  concurrency?: number;
  /** How long a terminating proxy drains its connections before it exits. */
  drainSeconds?: number;
}

export interface ProxyConfigSpec {
  deployment?: ProxyDeploymentParameters;
  pod?: ProxyPodParameters;
  service?: ProxyServiceParameters;
  /** Default: the cluster's (ipFamilies of Service default/kubernetes). */
  ipFamily?: IPFamily;
  autoscaling?: ProxyAutoscalingParameters;
  podDisruptionBudget?: ProxyDisruptionBudgetParameters;
  envoy?: ProxyEnvoyParameters;
}

export interface ProxyConfig {
  apiVersion: typeof PROXY_CONFIG_API_VERSION;
  kind: typeof PROXY_CONFIG_KIND;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: ProxyConfigSpec;
}
