// Gateway API manifests for pipeline tests and benchmarks.
export * from "./gateway-manifests";
