// The xds-server's consumer of the `endpoints` bucket: its own bucket watch (replay, then
// follow), feeding the endpoint fast path. Nothing else in the xds-server reads this
// bucket and the translator has no consumer of it, so endpoint churn and route changes
// never wait for each other. Undecodable values go to the dead letter (libs/bus).
import type { Logger } from "pino";
import type { NatsConnection } from "nats";
import { decodeKey, watchBucket, type BucketWatch } from "@gatehouse/bus";
import type { EndpointFastPath } from "./endpoint-fast-path";

export interface EndpointsConsumerOptions {
  nc: NatsConnection;
  fastPath: EndpointFastPath;
  logger: Logger;
}

export interface EndpointsConsumer {
  /** Resolves once the bucket's current state has been applied. */
  readonly ready: Promise<void>;
  /** Entries applied so far (puts and deletes). */
  applied(): number;
  stop(): Promise<void>;
}

export async function consumeEndpoints(opts: EndpointsConsumerOptions): Promise<EndpointsConsumer> {
  const log = opts.logger.child({ component: "endpoints-consumer" });
  let applied = 0;
  const watch: BucketWatch = await watchBucket(
    opts.nc,
    "endpoints",
    {
      onValue(_key, slice) {
        opts.fastPath.applySlice(slice, performance.now());
        applied++;
      },
      onDelete(key) {
        const { namespace, name } = decodeKey(key);
        opts.fastPath.deleteSlice(namespace, name, performance.now());
        applied++;
      },
      onReplayDone() {
        log.info({ slices: opts.fastPath.index.sliceCount }, "endpoints replayed");
      },
    },
    { logger: opts.logger },
  );
  return {
    ready: watch.replayed,
    applied: () => applied,
    stop: () => watch.stop(),
  };
}
