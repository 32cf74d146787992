// The Deployment of a Gateway's Envoy proxies: the bootstrap from the ConfigMap, the xDS
// client certificate from the one Secret cert-manager writes, readiness on the bootstrap's
// readiness listener, and a graceful drain when a pod terminates: preStop asks Envoy's admin
// to drain listeners gracefully (admin is on loopback only and needs POST, so plain bash
// /dev/tcp rather than an httpGet hook), then waits out the drain before SIGTERM.
import { BOOTSTRAP_DEFAULTS, loopbackAddress } from "@gatehouse/xds";
import type { V1Container, V1Deployment, V1EnvVar, V1PodSecurityContext, V1PodSpec, V1ResourceRequirements } from "@kubernetes/client-node";
import { ownerLabels, selectorLabels } from "@gatehouse/kube";
import { BOOTSTRAP_FILE, CLIENT_CERT_DIR, ENVOY_CONFIG_DIR } from "./bootstrap-config-map";
import { containerPorts } from "./listener-ports";
import { objectMeta, sorted, type ProxyContext } from "./proxy-context";

/** The Secret (in the Gateway's namespace) holding the Envoy xDS client certificate: tls.crt, tls.key, ca.crt. */
export const ENVOY_CLIENT_CERT_SECRET = "gatehouse-envoy-client-cert";
export const DEFAULT_ENVOY_IMAGE = "docker.io/envoyproxy/envoy:v1.36.2";
export const DEFAULT_DRAIN_SECONDS = 30;
/** The envoy user of the envoyproxy/envoy images. */
export const ENVOY_UID = 101;
export const CONFIG_DIGEST_ANNOTATION = "gatehouse.dev/bootstrap-digest";
/** Time after the drain for Envoy to exit on SIGTERM before the kubelet kills it. */
const EXIT_MARGIN_SECONDS = 10;

const DEFAULT_RESOURCES: V1ResourceRequirements = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } };

/**
 * Non-root with no privileges; `ip_unprivileged_port_start=0` (a namespaced, "safe" sysctl)
 * lets the non-root Envoy bind listener ports below 1024 without a capability.
 */
const DEFAULT_POD_SECURITY: V1PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: ENVOY_UID,
  runAsGroup: ENVOY_UID,
  fsGroup: ENVOY_UID,
  seccompProfile: { type: "RuntimeDefault" },
  sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
};

export function proxyDeployment(ctx: ProxyContext, configDigest: string): V1Deployment {
  const deployment = ctx.params.deployment ?? {};
  const pod = ctx.params.pod ?? {};
  const drainSeconds = ctx.params.envoy?.drainSeconds ?? DEFAULT_DRAIN_SECONDS;
  // Our labels win: the Deployment selects pods by them.
  const podLabels = sorted({ ...ctx.labels, ...(pod.labels ?? {}), ...ownerLabels(ctx.gateway) });
  const podAnnotations = sorted({ ...ctx.annotations, ...(pod.annotations ?? {}), [CONFIG_DIGEST_ANNOTATION]: configDigest });

  const podSpec: V1PodSpec = {
    serviceAccountName: ctx.name,
    // Envoy never talks to the Kubernetes API.
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: drainSeconds + EXIT_MARGIN_SECONDS,
    securityContext: { ...DEFAULT_POD_SECURITY, ...(pod.securityContext ?? {}) },
    containers: [envoyContainer(ctx, drainSeconds)],
    volumes: [
      { name: "envoy-config", configMap: { name: ctx.name } },
      { name: "xds-client-cert", secret: { secretName: ENVOY_CLIENT_CERT_SECRET, defaultMode: 0o440 } },
    ],
  };
  if (pod.nodeSelector) podSpec.nodeSelector = sorted(pod.nodeSelector);
  if (pod.tolerations) podSpec.tolerations = pod.tolerations;
  if (pod.affinity) podSpec.affinity = pod.affinity;
  if (pod.topologySpreadConstraints) podSpec.topologySpreadConstraints = pod.topologySpreadConstraints;
  if (pod.priorityClassName) podSpec.priorityClassName = pod.priorityClassName;

  const spec: V1Deployment["spec"] = {
    selector: { matchLabels: selectorLabels(ctx.gateway) },
    template: { metadata: { labels: podLabels, annotations: podAnnotations }, spec: podSpec },
  };
  // With an autoscaler the replica count is the autoscaler's; setting it here would fight it.
  if (!ctx.params.autoscaling) spec.replicas = deployment.replicas ?? 1;
  if (deployment.strategy) spec.strategy = deployment.strategy;
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: objectMeta(ctx), spec: orderSpec(spec) };
}

function envoyContainer(ctx: ProxyContext, drainSeconds: number): V1Container {
  const envoy = ctx.params.envoy ?? {};
  const args = [
    "--config-path",
    `${ENVOY_CONFIG_DIR}/${BOOTSTRAP_FILE}`,
    // One bootstrap for every replica; the node id tells the replicas apart in xds-events.
    "--service-node",
    "$(POD_NAME)",
    "--log-level",
    envoy.logLevel ?? "info",
    "--drain-time-s",
    String(drainSeconds),
    "--drain-strategy",
    "immediate",
  ];
  if (envoy.concurrency !== undefined) args.push("--concurrency", String(envoy.concurrency));
  const env: V1EnvVar[] = [
    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
    ...(ctx.params.deployment?.env ?? []),
  ];
  return {
    name: "envoy",
    image: ctx.params.deployment?.image ?? DEFAULT_ENVOY_IMAGE,
    command: ["envoy"],
    args,
    env,
    ports: containerPorts(ctx),
    readinessProbe: {
      httpGet: { path: "/ready", port: BOOTSTRAP_DEFAULTS.readinessPort },
      periodSeconds: 5,
      failureThreshold: 1,
      timeoutSeconds: 1,
    },
    resources: ctx.params.deployment?.resources ?? DEFAULT_RESOURCES,
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    },
    lifecycle: { preStop: { exec: { command: ["/bin/bash", "-c", drainScript(ctx, drainSeconds)] } } },
    volumeMounts: [
      { name: "envoy-config", mountPath: ENVOY_CONFIG_DIR, readOnly: true },
      { name: "xds-client-cert", mountPath: CLIENT_CERT_DIR, readOnly: true },
    ],
  };
}

/** POST /drain_listeners?graceful to admin, then wait out the drain (SIGTERM follows the hook). */
function drainScript(ctx: ProxyContext, drainSeconds: number): string {
  const admin = loopbackAddress(ctx.family);
  const request = "POST /drain_listeners?graceful HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n";
  return `exec 3<>/dev/tcp/${admin}/${BOOTSTRAP_DEFAULTS.adminPort} && printf '${request}' >&3 && cat <&3 >/dev/null; sleep ${drainSeconds}`;
}

/** Deployment spec keys in the order people read them. */
function orderSpec(spec: NonNullable<V1Deployment["spec"]>): NonNullable<V1Deployment["spec"]> {
  const { replicas, strategy, selector, template } = spec;
  return { ...(replicas !== undefined ? { replicas } : {}), ...(strategy ? { strategy } : {}), selector, template };
}
