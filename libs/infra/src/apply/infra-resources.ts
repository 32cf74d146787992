// What the applier needs to know about the rendered objects: where each kind lives in the API
// (the paths of server-side apply, list and delete), and a stable hash of a rendered object
// so an object is applied only when what we render for it changed.
import { createHash } from "node:crypto";

export interface InfraResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: true;
}

const resource = (group: string, version: string, kind: string, plural: string): InfraResource => ({ group, version, kind, plural, namespaced: true });

/** Every kind renderInfrastructure makes, in apply order (the Deployment needs its ServiceAccount and ConfigMap). */
export const INFRA_RESOURCES: readonly InfraResource[] = [
  resource("", "v1", "ServiceAccount", "serviceaccounts"),
  resource("", "v1", "ConfigMap", "configmaps"),
  resource("apps", "v1", "Deployment", "deployments"),
  resource("", "v1", "Service", "services"),
  resource("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
  resource("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets"),
];

export const SECRET_RESOURCE: InfraResource = resource("", "v1", "Secret", "secrets");

const BY_KIND = new Map([...INFRA_RESOURCES, SECRET_RESOURCE].map((r) => [r.kind, r]));

/** The resource of a rendered object's kind; throws on a kind the renderer never makes (a bug). */
export function infraResourceOf(obj: { kind: string }): InfraResource {
  const r = BY_KIND.get(obj.kind);
  if (!r) throw new Error(`no infrastructure resource for kind ${obj.kind}`);
  return r;
}

/** "Kind/name": a rendered object's identity within its Gateway's namespace. */
export function infraObjectId(obj: { kind: string; metadata?: { name?: string } }): string {
  return `${obj.kind}/${obj.metadata?.name ?? ""}`;
}

/** A digest of the object as rendered (the renderer is deterministic, so equal input, equal hash). */
export function renderedHash(obj: unknown): string {
  return createHash("sha256").update(JSON.stringify(obj)).digest("hex");
}
