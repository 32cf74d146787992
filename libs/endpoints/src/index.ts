// EndpointSlices to endpoint sets with Envoy health status
export * from "./endpoint-slice";
export { endpointState, envoyHealth, type EndpointState } from "./endpoint-health";
export { matchSlicePort } from "./port-match";
export { aggregateEndpoints, addressTypesFor } from "./aggregate";
export { ServiceEndpointsIndex, type ClusterRegistration } from "./service-endpoints-index";
