export { KubeApiTestServer } from "./kube-api-server";
export type { KubeApiTestServerOptions, KubeVerb, RecordedRequest, RequestFilter } from "./kube-api-server";
export { BUILTIN_RESOURCES, crdOf } from "./api-resources";
// libs/kube's, re-exported for the benchmark's test API server, which names its resources by it.
export { apiVersionOf } from "@gatehouse/kube";
export type { ApiResource } from "./api-resources";
export type { KubeObject } from "./object-store";
