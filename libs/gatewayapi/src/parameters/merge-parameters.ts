// Merging the GatewayClass's ProxyConfig with the Gateway's: the Gateway's wins field by
// field. Groups (deployment, pod, service, autoscaling, envoy) merge per field, string maps
// (labels, annotations, nodeSelector) per key; every other value (resources, affinity,
// tolerations, strategy, the disruption budget, ...) is replaced whole, because half of one
// affinity or budget joined to half of another is something neither author wrote.
import type { ProxyConfigSpec } from "./proxy-config";

type Group = "deployment" | "pod" | "service" | "autoscaling" | "envoy";
const GROUPS: readonly Group[] = ["deployment", "pod", "service", "autoscaling", "envoy"];
/** Per group, the fields that are string maps and merge per key. */
const MAP_FIELDS: Record<Group, readonly string[]> = {
  deployment: [],
  pod: ["labels", "annotations", "nodeSelector"],
  service: ["annotations"],
  autoscaling: [],
  envoy: [],
};

/** `override` on top of `base`; neither is modified, and the result shares no objects with them. */
export function mergeProxyConfigSpecs(base: ProxyConfigSpec, override: ProxyConfigSpec): ProxyConfigSpec {
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(override)])) {
    const b = (base as Record<string, unknown>)[key];
    const o = (override as Record<string, unknown>)[key];
    if ((GROUPS as readonly string[]).includes(key) && isRecord(b) && isRecord(o)) {
      out[key] = mergeGroup(b, o, MAP_FIELDS[key as Group]);
    } else {
      const v = o ?? b;
      if (v !== undefined && v !== null) out[key] = structuredClone(v);
    }
  }
  return out as ProxyConfigSpec;
}

function mergeGroup(base: Record<string, unknown>, override: Record<string, unknown>, maps: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(override)])) {
    const b = base[key];
    const o = override[key];
    const v = maps.includes(key) && isRecord(b) && isRecord(o) ? { ...b, ...o } : (o ?? b);
    if (v !== undefined && v !== null) out[key] = structuredClone(v);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
