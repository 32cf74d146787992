export * from "./kube-object";
export * from "./kinds";
export * from "./noise";
export * from "./manifest-parser";
export * from "./manifest-set";
export * from "./manifest-files";
export * from "./controller-name";
export * from "./proxy-names";
