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
  /** Longest run of entries handled without yielding to the event loop (default 2 ms). */
  yieldEveryMs?: number;
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
  // A backlog of entries is handled as one long chain of promise continuations, which would
  // keep the coalescing timer and the ADS streams (timers, setImmediate, socket I/O) waiting
  // until it ends. Yielding every few milliseconds lets pushes go out while a burst drains.
  const yieldEveryMs = opts.yieldEveryMs ?? 2;
  let runStart = performance.now();
  const pace = async (): Promise<void> => {
    const now = performance.now();
    if (now - runStart < yieldEveryMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    runStart = performance.now();
  };
  const watch: BucketWatch = await watchBucket(
    opts.nc,
    "endpoints",
    {
      onValue(_key, slice) {
        opts.fastPath.applySlice(slice, performance.now());
        applied++;
        return pace();
      },
      onDelete(key) {
        const { namespace, name } = decodeKey(key);
        opts.fastPath.deleteSlice(namespace, name, performance.now());
        applied++;
        return pace();
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
