// NATS JetStream buckets, streams, codecs and consumer helpers: the only way services
// talk to each other.
export * from "./keys";
export * from "./codecs";
export {
  BUCKETS,
  STREAMS,
  XDS_EVENTS_STREAM,
  XDS_EVENTS_SUBJECT_PREFIX,
  DEAD_LETTER_STREAM,
  DEAD_LETTER_SUBJECT_PREFIX,
  deadLetterSubject,
  bucketCodec,
  xdsEventsCodec,
  ensureBus,
} from "./declarations";
export type { BucketName, BucketValues, BucketInputs, BucketSpec, StreamSpec, EnsureBusOptions } from "./declarations";
export { BucketStore } from "./bucket-store";
export { watchBucket, watchKv } from "./watch-bucket";
export type { WatchHandlers, WatchOptions, BucketWatch, EntryMeta } from "./watch-bucket";
export { ChunkError, chunkSizeFor, isChunkKey } from "./chunked-kv";
export { publishDeadLetter, parseDeadLetter, DEAD_LETTER_HEADERS } from "./dead-letter";
export type { DeadLetter } from "./dead-letter";
export { publishXdsEvent, consumeXdsEvents, xdsEventSubject } from "./xds-events";
export type { XdsEventConsumer, XdsEventConsumerOptions } from "./xds-events";
export { connectBus, natsConnected } from "./connect";
export type { BusConnectOptions } from "./connect";
export type { BusLogger } from "./logger";
export { busPermissions, busServices, natsAuthorizationConfig } from "./permissions";
export type { NatsPermissions, BusUser } from "./permissions";
export { isTransientNatsError } from "./retry";
export type { BucketStoreOptions } from "./bucket-store";
export { BUS_CONFIG_OPTIONS, busConnectOptions } from "./bus-config";
export type { BusConfig } from "./bus-config";
export { runBusService } from "./bus-service";
export type { BusComponent, BusServiceOptions } from "./bus-service";
export { PublishQueue } from "./publish-queue";
export type { KeyWriter, PublishQueueOptions } from "./publish-queue";
export { KvLock } from "./kv-lock";
export type { KvLockOptions } from "./kv-lock";
