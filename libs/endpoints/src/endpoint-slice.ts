// The EndpointSlice shape this library reads: the fields of discovery.k8s.io/v1
// EndpointSlice that decide Envoy endpoints. Structural, so the watcher's payload (the
// Kubernetes object, or a trimmed copy of it) can be passed as is.

export type EndpointSliceAddressType = "IPv4" | "IPv6" | "FQDN";

/** The label that ties a slice to its Service. */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

export interface EndpointConditions {
  ready?: boolean | null;
  serving?: boolean | null;
  terminating?: boolean | null;
}

export interface EndpointSliceEndpoint {
  addresses: string[];
  conditions?: EndpointConditions | null;
  hostname?: string | null;
  nodeName?: string | null;
  zone?: string | null;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string } | null;
}

export interface EndpointSlicePort {
  name?: string | null;
  port?: number | null;
  protocol?: string | null;
  appProtocol?: string | null;
}

export interface EndpointSlice {
  metadata: {
    namespace?: string;
    name: string;
    labels?: Record<string, string> | null;
  };
  addressType: EndpointSliceAddressType | string;
  endpoints?: EndpointSliceEndpoint[] | null;
  ports?: EndpointSlicePort[] | null;
}

/** "namespace/name" of a Service or a slice. */
export function namespacedKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function sliceKey(slice: EndpointSlice): string {
  return namespacedKey(slice.metadata.namespace ?? "default", slice.metadata.name);
}

/** The Service a slice belongs to ("namespace/name"), or undefined for a slice without the label. */
export function serviceKeyOfSlice(slice: EndpointSlice): string | undefined {
  const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  if (!service) return undefined;
  return namespacedKey(slice.metadata.namespace ?? "default", service);
}
