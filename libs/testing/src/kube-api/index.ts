export { KubeApiTestServer } from "./kube-api-server";
export type { KubeApiTestServerOptions, KubeVerb, RecordedRequest, RequestFilter } from "./kube-api-server";
export { BUILTIN_RESOURCES, apiVersionOf, crdOf } from "./api-resources";
export type { ApiResource } from "./api-resources";
export type { KubeObject } from "./object-store";
