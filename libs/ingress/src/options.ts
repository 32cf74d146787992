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
