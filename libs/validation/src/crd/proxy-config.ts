// Gatehouse's own CRD, ProxyConfig (gateway.gatehouse.dev/v1alpha1): the shape of a
// Gateway's Envoy proxies. The same bounds and enums as the OpenAPI schema in
// deploy/base/crds/proxyconfig.yaml, plus what that schema cannot say (label keys, CIDRs,
// exactly one of minAvailable/maxUnavailable, min <= max replicas). Kubernetes-native parts
// the API server checks again when the Deployment is applied (affinity, securityContext)
// are only checked to be objects here.
import { labelKeyError, labelValueError } from "../label-selector";
import { arr, checkAt, dict, int, isIpAddress, isObject, obj, pathOf, str, type Node, type Rule, type Violation } from "./schema";

export const PROXY_CONFIG_GROUP = "gateway.gatehouse.dev";
export const PROXY_CONFIG_KIND = "ProxyConfig";
const SERVED_VERSIONS = ["v1alpha1"];

/** A Kubernetes quantity ("500m", "1Gi", 2). */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;

function intOrString(opts: { pattern?: RegExp; what: string; minimum?: number }): Node {
  return (v, ctx) => {
    if (typeof v === "number" && Number.isInteger(v)) {
      if (opts.minimum !== undefined && v < opts.minimum) {
        ctx.out.push({ path: pathOf(ctx), message: `Invalid value: ${v}: must be at least ${opts.minimum}`, reason: "FieldValueInvalid", rule: "minimum" });
      }
      return;
    }
    if (typeof v === "string" && (!opts.pattern || opts.pattern.test(v))) return;
    ctx.out.push({ path: pathOf(ctx), message: `Invalid value: ${JSON.stringify(v)}: must be ${opts.what}`, reason: "FieldValueInvalid", rule: "x-kubernetes-int-or-string" });
  };
}

const quantity = intOrString({ pattern: QUANTITY, what: "a quantity such as 500m, 128Mi or 2" });
const intOrPercent = intOrString({ pattern: /^\d+%$/, what: "an integer or a percentage such as 25%", minimum: 0 });

/** A string map whose keys must be label keys (labels, annotations, nodeSelector). */
function stringMap(what: "label" | "annotation" | "nodeSelector"): Node {
  const value = what === "annotation" ? str() : str({ maxLength: 63 });
  const inner = dict(value);
  return (v, ctx) => {
    inner(v, ctx);
    if (!isObject(v)) return;
    for (const [k, val] of Object.entries(v)) {
      const err = labelKeyError(k) ?? (what === "annotation" ? undefined : labelValueError(val));
      if (err) ctx.out.push({ path: `${pathOf(ctx)}[${k}]`, message: `Invalid value: ${err}`, reason: "FieldValueInvalid", rule: "labels" });
    }
  };
}

const cidr: Node = (v, ctx) => {
  const [addr, bits, ...rest] = typeof v === "string" ? v.split("/") : [];
  const max = addr?.includes(":") ? 128 : 32;
  const ok = typeof v === "string" && rest.length === 0 && isIpAddress(addr) && /^\d{1,3}$/.test(bits ?? "") && Number(bits) <= max;
  if (!ok) ctx.out.push({ path: pathOf(ctx), message: `Invalid value: ${JSON.stringify(v)}: must be a CIDR such as 10.0.0.0/8 or 2001:db8::/32`, reason: "FieldValueInvalid", rule: "format" });
};

const anyObject = obj({});
const resources = obj({ limits: dict(quantity), requests: dict(quantity) });
const env = arr(obj({ name: str({ minLength: 1 }), value: str(), valueFrom: anyObject }, { required: ["name"] }), { listType: "map", mapKeys: ["name"] });
const strategy = obj(
  { type: str({ enum: ["RollingUpdate", "Recreate"] }), rollingUpdate: obj({ maxSurge: intOrPercent, maxUnavailable: intOrPercent }) },
  { rules: [{ name: "strategy.recreate-no-rolling-update", message: "rollingUpdate may only be set when type is RollingUpdate", valid: (s) => !(s.type === "Recreate" && s.rollingUpdate) }] },
);
const toleration = obj({
  key: str(),
  operator: str({ enum: ["Exists", "Equal"] }),
  value: str(),
  effect: str({ enum: ["NoSchedule", "PreferNoSchedule", "NoExecute"] }),
  tolerationSeconds: int({ format: "int64" }),
});
const topologySpreadConstraint = obj(
  {
    maxSkew: int({ minimum: 1 }),
    topologyKey: str({ minLength: 1 }),
    whenUnsatisfiable: str({ enum: ["DoNotSchedule", "ScheduleAnyway"] }),
    labelSelector: anyObject,
    minDomains: int({ minimum: 1 }),
  },
  { required: ["maxSkew", "topologyKey", "whenUnsatisfiable"] },
);
const metric = obj(
  { type: str({ enum: ["Resource", "Pods", "Object", "External", "ContainerResource"] }), resource: anyObject, pods: anyObject, object: anyObject, external: anyObject, containerResource: anyObject },
  { required: ["type"] },
);

const minNotAboveMax: Rule = {
  name: "autoscaling.min-not-above-max",
  message: "minReplicas must not be greater than maxReplicas",
  valid: (s) => typeof s.minReplicas !== "number" || typeof s.maxReplicas !== "number" || s.minReplicas <= s.maxReplicas,
};
const exactlyOneBudget: Rule = {
  name: "podDisruptionBudget.exactly-one",
  message: "exactly one of minAvailable and maxUnavailable must be set",
  valid: (s) => (s.minAvailable !== undefined && s.minAvailable !== null) !== (s.maxUnavailable !== undefined && s.maxUnavailable !== null),
};

export const proxyConfigSpec: Node = obj({
  deployment: obj({
    replicas: int({ minimum: 0 }),
    strategy,
    image: str({ minLength: 1 }),
    resources,
    env,
  }),
  pod: obj({
    labels: stringMap("label"),
    annotations: stringMap("annotation"),
    nodeSelector: stringMap("nodeSelector"),
    tolerations: arr(toleration),
    affinity: anyObject,
    topologySpreadConstraints: arr(topologySpreadConstraint),
    securityContext: anyObject,
    priorityClassName: str({ maxLength: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/ }),
  }),
  service: obj({
    type: str({ enum: ["LoadBalancer", "ClusterIP", "NodePort"] }),
    annotations: stringMap("annotation"),
    loadBalancerClass: str({ minLength: 1, maxLength: 253 }),
    loadBalancerSourceRanges: arr(cidr),
    externalTrafficPolicy: str({ enum: ["Cluster", "Local"] }),
  }),
  ipFamily: str({ enum: ["IPv4", "IPv6", "DualStack"] }),
  autoscaling: obj(
    { minReplicas: int({ minimum: 1 }), maxReplicas: int({ minimum: 1 }), metrics: arr(metric, { minItems: 1 }) },
    { required: ["maxReplicas"], rules: [minNotAboveMax] },
  ),
  podDisruptionBudget: obj({ minAvailable: intOrPercent, maxUnavailable: intOrPercent }, { rules: [exactlyOneBudget] }),
  envoy: obj({
    logLevel: str({ enum: ["trace", "debug", "info", "warning", "error", "critical", "off"] }),
    concurrency: int({ minimum: 1, maximum: 1024 }),
    drainSeconds: int({ minimum: 0, maximum: 3600 }),
  }),
});

/**
 * What is wrong with a ProxyConfig object, each violation naming its field
 * (`spec.service.type`, ...). Empty when it is valid. Never throws.
 */
export function validateProxyConfig(object: unknown): Violation[] {
  const out: Violation[] = [];
  if (!isObject(object)) {
    out.push({ path: "", message: "object must be a mapping with apiVersion, kind, metadata and spec", reason: "FieldValueTypeInvalid" });
    return out;
  }
  const apiVersion = object.apiVersion;
  if (typeof apiVersion !== "string" || !SERVED_VERSIONS.some((v) => apiVersion === `${PROXY_CONFIG_GROUP}/${v}`)) {
    const served = SERVED_VERSIONS.map((v) => JSON.stringify(`${PROXY_CONFIG_GROUP}/${v}`)).join(", ");
    out.push({ path: "apiVersion", message: `Unsupported value: ${JSON.stringify(apiVersion ?? null)}: supported values: ${served}`, reason: "FieldValueNotSupported" });
  }
  if (object.kind !== PROXY_CONFIG_KIND) {
    out.push({ path: "kind", message: `Unsupported value: ${JSON.stringify(object.kind ?? null)}: supported values: "${PROXY_CONFIG_KIND}"`, reason: "FieldValueNotSupported" });
  }
  const meta = object.metadata;
  if (!isObject(meta) || typeof meta.name !== "string" || meta.name === "") {
    out.push({ path: "metadata.name", message: "Required value: name is required", reason: "FieldValueRequired", rule: "required" });
  }
  // An empty spec is valid: every field has a default.
  if (object.spec !== undefined && object.spec !== null) checkAt(proxyConfigSpec, object.spec, "spec", out);
  return out;
}
