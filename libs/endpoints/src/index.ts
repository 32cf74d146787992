// EndpointSlices to endpoint sets with Envoy health status
