// Publishes Kubernetes (or file) resources to the bus. Apps are not imported by other
// projects (the reusable publish queue is PublishQueue in @gatehouse/bus).
export { FileWatcherService, type FileWatcherOptions } from "./file-watcher-service";
export { KubeWatcherService, type KubeWatcherOptions, type LeaderElectionSettings } from "./kube/kube-watcher-service";
