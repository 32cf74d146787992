// Envoy proxy infrastructure per Gateway: the pure renderer of the Kubernetes objects that run
// the proxies, and what the applier needs to apply them. The ProxyConfig types and the
// parametersRef resolver are libs/gatewayapi's (translation reports InvalidParameters with
// the same resolver); names and labels are libs/kube's (translation finds the Service by them).
export { clusterFactsIpFamilies, deployedXdsServer } from "./cluster-facts";
export type { ClusterFacts } from "./cluster-facts";
export { renderInfrastructure } from "./render/render-infrastructure";
export type { InfraObject, RenderedInfrastructure } from "./render/render-infrastructure";
export { ENVOY_CLIENT_CERT_SECRET, CONFIG_DIGEST_ANNOTATION } from "./render/proxy-deployment";
export { INFRA_RESOURCES, SECRET_RESOURCE, infraResourceOf, infraObjectId, renderedHash } from "./apply/infra-resources";
export type { InfraResource } from "./apply/infra-resources";
