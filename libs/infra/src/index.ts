// Envoy proxy infrastructure per Gateway: the ProxyConfig parameters (types, merge, the
// parametersRef chain) and the pure renderer of the Kubernetes objects that run the proxies.
export * from "./proxy-config";
export type { GatewayInput, GatewayClassInput, GatewayListenerInput, ParametersRef } from "./gateway-input";
export { mergeProxyConfigSpecs } from "./merge-parameters";
export {
  resolveProxyParameters,
  resolveGatewayClassParameters,
  INVALID_PARAMETERS_REASON,
} from "./resolve-parameters";
export type { ParametersResult, InvalidParametersCondition, ProxyConfigLookup } from "./resolve-parameters";
export { proxyIpFamily, serviceIpFamilies, deployedXdsServer, XDS_SERVER_SERVICE, XDS_SERVER_PORT } from "./cluster-facts";
export type { ClusterFacts, ServiceIpFamilies } from "./cluster-facts";
export * from "./names";
export { renderInfrastructure } from "./render/render-infrastructure";
export type { InfraObject, RenderedInfrastructure } from "./render/render-infrastructure";
export {
  ENVOY_CLIENT_CERT_SECRET,
  DEFAULT_ENVOY_IMAGE,
  DEFAULT_DRAIN_SECONDS,
  CONFIG_DIGEST_ANNOTATION,
} from "./render/proxy-deployment";
export { ENVOY_CONFIG_DIR, BOOTSTRAP_FILE, CLIENT_CERT_DIR } from "./render/bootstrap-config-map";
