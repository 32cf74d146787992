// Ingress migration: networking.k8s.io/v1 Ingress and IngressClass (and the common
// ingress-nginx and nginx.org annotations) to Gateway API objects, with a report of what
// could not be carried over. Pure functions; the CLI and the ingress-converter service wire them.
export { convertIngresses } from "./convert";
export { IngressConversion } from "./conversion-engine";
export type { ConversionDelta, IngressStatusTarget } from "./conversion-engine";
export type { ConversionInput, ConversionResult } from "./convert";
export { parseGatewayRef, kubeNameError, DEFAULT_INGRESS_CONTROLLER, DEFAULT_GATEWAY_CLASS, DEFAULT_GATEWAY_NAMESPACE } from "./options";
export type { ConvertOptions } from "./options";
export { isIncomplete } from "./report";
export type { IngressReport, AnnotationReport, Outcome } from "./report";
export { formatReports } from "./format-report";
export type { Ingress, IngressClass, Service } from "./ingress-types";
export { ingressStatusFor } from "./ingress-status";
export type { IngressStatus, LoadBalancerIngress } from "./ingress-status";
