// Names and labels of a Gateway's proxy objects. Kubernetes names of Services (and so of
// everything here, which shares one name) are DNS labels of at most 63 characters, while a
// Gateway's name may be a 253-character DNS subdomain with dots: what does not fit is cut
// and suffixed with a hash of the whole, so two Gateways never share a name.
// Here, not in libs/infra, because translation (libs/gatewayapi) finds a Gateway's proxy
// Service by them too, and libs/infra loads Envoy's protos.
import { createHash } from "node:crypto";

export const MAX_NAME_LENGTH = 63;
export const NAME_PREFIX = "gatehouse-";

/** Labels on every object we render; the first is the Gateway API's own convention. */
export const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";
export const OWNING_GATEWAY_NAME_LABEL = "gatehouse.dev/owning-gateway-name";
export const OWNING_GATEWAY_NAMESPACE_LABEL = "gatehouse.dev/owning-gateway-namespace";
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "gatehouse";
export const COMPONENT_LABEL = "app.kubernetes.io/component";
export const PROXY_COMPONENT = "envoy-proxy";

const HASH_LENGTH = 8;

function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, HASH_LENGTH);
}

/** `value` if it fits `max`, else its head and a hash of the whole (`head-1a2b3c4d`), ending alphanumeric. */
export function fitWithHash(value: string, max = MAX_NAME_LENGTH, force = false): string {
  if (!force && value.length <= max) return value;
  const head = value.slice(0, max - HASH_LENGTH - 1).replace(/[^a-z0-9]+$/, "");
  return `${head}-${shortHash(value)}`;
}

/** The one name of a Gateway's ServiceAccount, ConfigMap, Deployment, Service, HPA and PDB. */
export function proxyObjectName(gatewayName: string): string {
  // Dots are not allowed in Service names; replacing them could make two names equal
  // ("a.b", "a-b"), so a replaced name always carries the hash.
  const label = gatewayName.replace(/\./g, "-");
  return fitWithHash(`${NAME_PREFIX}${label}`, MAX_NAME_LENGTH, label !== gatewayName);
}

/** A label value for a name that may be longer than 63 characters. */
export function labelValue(name: string): string {
  return fitWithHash(name, MAX_NAME_LENGTH);
}

/** Labels that select a Gateway's proxy pods (the Deployment's immutable selector). */
export function selectorLabels(gateway: { namespace: string; name: string }): Record<string, string> {
  return {
    [GATEWAY_NAME_LABEL]: labelValue(gateway.name),
    [OWNING_GATEWAY_NAMESPACE_LABEL]: gateway.namespace,
    [COMPONENT_LABEL]: PROXY_COMPONENT,
  };
}

/** Labels of every rendered object: the selector labels plus ownership. */
export function ownerLabels(gateway: { namespace: string; name: string }): Record<string, string> {
  return {
    ...selectorLabels(gateway),
    [OWNING_GATEWAY_NAME_LABEL]: labelValue(gateway.name),
    [MANAGED_BY_LABEL]: MANAGED_BY,
  };
}

/**
 * The label selector of every object rendered for a Gateway (what the applier lists to find
 * orphans): ownership labels only, so objects of another Gateway never match.
 */
export function ownerSelector(gateway: { namespace: string; name: string }): string {
  return [
    `${OWNING_GATEWAY_NAME_LABEL}=${labelValue(gateway.name)}`,
    `${OWNING_GATEWAY_NAMESPACE_LABEL}=${gateway.namespace}`,
    `${MANAGED_BY_LABEL}=${MANAGED_BY}`,
  ].join(",");
}

/**
 * The label selector of every Gateway's proxy objects at once (the watcher's informer of our
 * proxy Deployments): managed by us, the proxy component, and owned by some Gateway. The
 * owner labels are asked to exist only; which Gateway is read from the object's name.
 */
export const PROXY_OBJECTS_SELECTOR = [
  `${MANAGED_BY_LABEL}=${MANAGED_BY}`,
  `${COMPONENT_LABEL}=${PROXY_COMPONENT}`,
  OWNING_GATEWAY_NAME_LABEL,
  OWNING_GATEWAY_NAMESPACE_LABEL,
].join(",");
