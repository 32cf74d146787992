// Ingress backends to Service references: named ports resolve through the Service's
// spec.ports; resource backends and unresolvable ports are reasons, not references.
import { namespaceOf } from "@gatehouse/kube";
import { asList, type IngressBackend, type Service } from "./ingress-types";

export interface ServiceRef {
  name: string;
  port: number;
}

export type ServiceIndex = Map<string, Service>;

export function serviceIndex(services: Service[]): ServiceIndex {
  return new Map(services.map((s) => [`${namespaceOf(s)}/${s.metadata?.name ?? ""}`, s]));
}

export function resolveBackend(backend: IngressBackend | undefined, namespace: string, services: ServiceIndex): ServiceRef | string {
  if (!backend) return "no backend";
  if (backend.resource) {
    const r = backend.resource;
    return `resource backend ${r.apiGroup ? `${r.apiGroup}/` : ""}${r.kind ?? ""} ${r.name ?? ""} has no Gateway API equivalent`;
  }
  const svc = backend.service;
  if (!svc?.name) return "backend names no Service";
  const port = svc.port;
  if (port?.number !== undefined) {
    if (!Number.isInteger(port.number) || port.number < 1 || port.number > 65535) return `Service ${svc.name} port ${port.number} is not a port number`;
    return { name: svc.name, port: port.number };
  }
  if (port?.name) {
    const service = services.get(`${namespace}/${svc.name}`);
    if (!service) return `Service ${namespace}/${svc.name} is not known, so its port ${JSON.stringify(port.name)} cannot be resolved to a number`;
    const found = asList(service.spec?.ports).find((p) => p?.name === port.name);
    if (!found || typeof found.port !== "number") return `Service ${namespace}/${svc.name} has no port named ${JSON.stringify(port.name)}`;
    return { name: svc.name, port: found.port };
  }
  return `Service ${svc.name} backend has no port`;
}
