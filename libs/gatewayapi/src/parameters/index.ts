// GatewayClass and Gateway parameters: our ProxyConfig CRD, the parametersRef chain that
// resolves and merges it (InvalidParameters when it cannot), and the proxies' IP family.
// Translation reads them for conditions and the IR; libs/infra renders the proxies from them.
export * from "./proxy-config";
export type { GatewayInput, GatewayClassInput, GatewayListenerInput, ParametersRef } from "./gateway-input";
export { mergeProxyConfigSpecs } from "./merge-parameters";
export { resolveProxyParameters, resolveGatewayClassParameters, resolveGatewayOverClass, INVALID_PARAMETERS_REASON } from "./resolve-parameters";
export type { ParametersResult, InvalidParametersCondition, ProxyConfigLookup } from "./resolve-parameters";
export { proxyIpFamily, serviceIpFamilyList, CLUSTER_SERVICE } from "./proxy-ip-family";
export type { ClusterIpFamily } from "./proxy-ip-family";
