// libs/kube-client, apart from libs/kube so that parsing and translation do not load
// @kubernetes/client-node (about 150 MiB): kubeconfig loading, plain-JSON API calls,
// informers, leader election and the status writer, all on @kubernetes/client-node.
export * from "./api-resource";
export * from "./api-error";
export * from "./kubeconfig";
export * from "./kube-client";
export * from "./informer";
export * from "./list-gate";
export * from "./leader-election";
export * from "./status-merge";
export * from "./status-writer";
