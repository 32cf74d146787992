// Shapes of the networking.k8s.io/v1 and core/v1 objects the converter reads. Input comes
// from users, so every field is optional and readers tolerate its absence.
import type { KubeObject } from "@gatehouse/gatewayapi";

export interface ServiceBackend {
  name?: string;
  port?: { number?: number; name?: string };
}

export interface IngressBackend {
  service?: ServiceBackend;
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths?: IngressPath[] };
}

export interface IngressTLS {
  hosts?: string[];
  secretName?: string;
}

export interface IngressSpec {
  ingressClassName?: string;
  defaultBackend?: IngressBackend;
  rules?: IngressRule[];
  tls?: IngressTLS[];
}

export interface IngressClassSpec {
  controller?: string;
}

export interface ServiceSpec {
  ports?: { name?: string; port?: number; protocol?: string; appProtocol?: string }[];
}

export type Ingress = KubeObject & { spec?: IngressSpec };
export type IngressClass = KubeObject & { spec?: IngressClassSpec };
export type Service = KubeObject & { spec?: ServiceSpec };

/** A namespaced reference, printed as "namespace/name". */
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export function refOf(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { kind: obj.kind ?? "", name: obj.metadata?.name ?? "" };
  if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

export function refText(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}

export function namespaceOf(obj: KubeObject): string {
  return obj.metadata?.namespace || "default";
}

export function annotationsOf(obj: KubeObject): Record<string, string> {
  const a = obj.metadata?.annotations;
  return a && typeof a === "object" ? a : {};
}

export function asList<T>(v: T[] | undefined | null): T[] {
  return Array.isArray(v) ? v : [];
}
