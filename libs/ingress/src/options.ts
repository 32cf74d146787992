// Options of a conversion, with their defaults in one place (the CLI and the service read them).
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";

/** The IngressClass spec.controller Gatehouse answers for. */
export const DEFAULT_INGRESS_CONTROLLER = "gatehouse.dev/ingress-controller";
export const DEFAULT_GATEWAY_CLASS = "gatehouse";
export const DEFAULT_GATEWAY_NAMESPACE = "gatehouse-system";
/** The Gateway of Ingresses that name no class (only converted when every class is). */
export const UNCLASSED_GATEWAY = "ingress";

export interface ConvertOptions {
  /** IngressClass spec.controller values that are ours. */
  controllerName?: string;
  /** Convert these classes whatever their controller; "*" converts every Ingress, with or without a class. */
  ingressClasses?: string[];
  /** Attach every route to this existing Gateway instead of generating one per IngressClass. */
  gateway?: { namespace: string; name: string };
  /** gatewayClassName of generated Gateways, and name of the generated GatewayClass. */
  gatewayClassName?: string;
  /** controllerName of the generated GatewayClass. */
  gatewayControllerName?: string;
  /** Namespace of generated Gateways. */
  gatewayNamespace?: string;
}

export type ResolvedOptions = Required<Omit<ConvertOptions, "gateway">> & { gateway?: { namespace: string; name: string } };

export function resolveOptions(o: ConvertOptions = {}): ResolvedOptions {
  return {
    controllerName: o.controllerName ?? DEFAULT_INGRESS_CONTROLLER,
    ingressClasses: o.ingressClasses ?? [],
    gateway: o.gateway,
    gatewayClassName: o.gatewayClassName ?? DEFAULT_GATEWAY_CLASS,
    gatewayControllerName: o.gatewayControllerName ?? DEFAULT_CONTROLLER_NAME,
    gatewayNamespace: o.gatewayNamespace ?? DEFAULT_GATEWAY_NAMESPACE,
  };
}

const KUBE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** "NAMESPACE/NAME" of an existing Gateway, or why it is not one. */
export function parseGatewayRef(text: string): { namespace: string; name: string } | string {
  const [namespace, name, extra] = text.split("/");
  if (extra !== undefined || !KUBE_NAME.test(namespace ?? "") || !KUBE_NAME.test(name ?? "")) return `must be NAMESPACE/NAME, got ${JSON.stringify(text)}`;
  return { namespace, name };
}

/** Why `text` is not a Kubernetes object name, or undefined. */
export function kubeNameError(text: string): string | undefined {
  return KUBE_NAME.test(text) && text.length <= 253 ? undefined : `must be a Kubernetes name, got ${JSON.stringify(text)}`;
}
