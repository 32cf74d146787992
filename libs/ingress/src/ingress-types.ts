// Shapes of the networking.k8s.io/v1 and core/v1 objects the converter reads. Input comes
// from users, so every field is optional and readers tolerate its absence.
import type { KubeObject } from "@gatehouse/gatewayapi";
import { namespaceOf, type ObjectRef } from "@gatehouse/kube";

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

/** An Ingress's identity, safe on objects whose metadata is missing (their shape is reported later). */
export function ingressRef(ingress: Ingress): ObjectRef {
  return { kind: "Ingress", namespace: namespaceOf(ingress), name: ingress.metadata?.name ?? "" };
}

/** "Kind namespace/name" ("Kind name" for cluster-scoped objects), as reports print references. */
export function refText(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}

export function annotationsOf(obj: KubeObject): Record<string, string> {
  const a = obj.metadata?.annotations;
  return a && typeof a === "object" ? a : {};
}

export function asList<T>(v: T[] | undefined | null): T[] {
  return Array.isArray(v) ? v : [];
}
