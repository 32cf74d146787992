// Publishes Kubernetes (or file) resources to the bus
export { PublishQueue } from "./publish/publish-queue";
export type { KeyWriter, PublishQueueOptions } from "./publish/publish-queue";
