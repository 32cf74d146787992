// `gatehouse explain`: one request walked through a Gateway's Envoy resources as Envoy would.
export { explainRequest } from "./explain";
export { buildExplainRequest } from "./request";
export type { RequestParts } from "./request";
export { describeOrigin } from "./route-origin";
export type { EnvoyConfig, ExplainRequest, Explanation, ExplainStep, ExplainOutcome, BackendOutcome, RouteOrigin } from "./types";
