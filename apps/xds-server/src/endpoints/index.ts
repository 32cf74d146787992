// The endpoint fast path: `endpoints` bucket → ServiceEndpointsIndex → ClusterLoadAssignments → ADS cache.
export { EndpointFastPath, DEFAULT_ENDPOINT_WINDOW_MS, DEFAULT_ENDPOINT_MAX_WINDOW_MS, type EndpointFastPathOptions, type EndpointPush } from "./endpoint-fast-path";
export { consumeEndpoints, type EndpointsConsumer, type EndpointsConsumerOptions } from "./endpoints-consumer";
export { startEndpointFastPath, type EndpointFastPathHandle, type StartEndpointFastPathOptions } from "./start-endpoint-fast-path";
export { ClaEncoder } from "./cla-encoder";
