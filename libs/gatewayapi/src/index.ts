// Gateway API resources to IR and status conditions: translate(), the resource set it reads
// (manifests are parsed by @gatehouse/kube), and the dependency index the translator service uses to retranslate
// only the Gateways an object change affects.
export { translate, PROCESSORS, DEFAULT_CONTROLLER_NAME } from "./translate";
export type { TranslateOptions, TranslationResult } from "./translate";
export type { StatusUpdate } from "./statuses";
export { admitResources, malformation } from "./admission";
export type { Admission, Diagnostic } from "./admission";
export { resourceSetFrom, emptyResourceSet, addObject, gatewayAPIObjects, nsName } from "./resource-set";
export type { ResourceSet, KindIndex } from "./resource-set";
export { gatewayDependencies } from "./dependencies";
export { objectKey, keyOf } from "./kube-types";
export type { KubeObject, Condition, ObjectMeta, HTTPCORSFilter } from "./kube-types";
export { computeHosts } from "./hostnames";
export { applyXdsFailures } from "./xds-failures";
export type { XdsFailureRecord, XdsFailureOptions } from "./xds-failures";
export { boundStatusLists } from "./status-truncation";
export type { BoundStatusOptions } from "./status-truncation";
export * from "./parameters";
