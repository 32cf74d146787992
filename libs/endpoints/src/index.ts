// EndpointSlices to endpoint sets with Envoy health status, and the endpoint fast path
export * from "./endpoint-slice";
export { endpointState, envoyHealth, type EndpointState } from "./endpoint-health";
export { matchSlicePort } from "./port-match";
export { aggregateEndpoints, addressTypesFor } from "./aggregate";
export { ServiceEndpointsIndex, type ClusterRegistration } from "./service-endpoints-index";
// The endpoint fast path: `endpoints` bucket → ServiceEndpointsIndex → ClusterLoadAssignments → ADS cache.
export { EndpointFastPath, DEFAULT_ENDPOINT_WINDOW_MS, DEFAULT_ENDPOINT_MAX_WINDOW_MS, type EndpointFastPathOptions, type EndpointPush } from "./fast-path/endpoint-fast-path";
export { consumeEndpoints, type EndpointsConsumer, type EndpointsConsumerOptions } from "./fast-path/endpoints-consumer";
export { startEndpointFastPath, type EndpointFastPathHandle, type StartEndpointFastPathOptions } from "./fast-path/start-endpoint-fast-path";
