// End-to-end tests of the pipeline; the harness is exported for the benchmark.
export { Pipeline, type PipelineOptions, type ServiceName } from "./harness/pipeline";
export { followLikeEnvoy, configDigest, routePaths } from "./harness/xds-view";
export { expectedDigest } from "./harness/reference";
export { waitUntil } from "./harness/wait";
