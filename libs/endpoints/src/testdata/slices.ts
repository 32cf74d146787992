// Builders for EndpointSlice fixtures: small, explicit, and shaped like the objects the
// Kubernetes endpointslice controller writes.
import type { ServicePortRef } from "@gatehouse/ir";
import type { EndpointConditions, EndpointSlice, EndpointSliceAddressType, EndpointSlicePort } from "../endpoint-slice";

export interface EndpointSpec {
  ip: string;
  pod?: string;
  zone?: string;
  conditions?: EndpointConditions;
}

export function slice(
  name: string,
  endpoints: EndpointSpec[],
  opts: { service?: string; namespace?: string; addressType?: EndpointSliceAddressType; ports?: EndpointSlicePort[] | null } = {},
): EndpointSlice {
  return {
    metadata: {
      namespace: opts.namespace ?? "default",
      name,
      labels: { "kubernetes.io/service-name": opts.service ?? "web" },
    },
    addressType: opts.addressType ?? "IPv4",
    ports: opts.ports === undefined ? [{ name: "http", port: 8080, protocol: "TCP" }] : opts.ports,
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: e.conditions ?? { ready: true, serving: true, terminating: false },
      zone: e.zone,
      targetRef: e.pod ? { kind: "Pod", namespace: opts.namespace ?? "default", name: e.pod } : undefined,
    })),
  };
}

export const READY: EndpointConditions = { ready: true, serving: true, terminating: false };
export const TERMINATING_SERVING: EndpointConditions = { ready: false, serving: true, terminating: true };
export const TERMINATING_NOT_SERVING: EndpointConditions = { ready: false, serving: false, terminating: true };
export const NOT_READY: EndpointConditions = { ready: false, serving: false, terminating: false };

export const WEB_HTTP: ServicePortRef = { namespace: "default", name: "web", port: 80, portName: "http", targetPort: 8080 };
