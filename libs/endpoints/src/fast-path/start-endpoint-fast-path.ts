// One call that the xds-server's main wiring makes to run the endpoint fast path: it
// builds the fast path over the ADS cache, starts the `endpoints` consumer, and returns
// the hooks the IR wiring calls when a Gateway's IR arrives or goes away.
import type { Logger } from "pino";
import type { NatsConnection } from "nats";
import type { Registry } from "prom-client";
import type { GatewayIR, IPFamily } from "@gatehouse/ir";
import type { ResourceCache } from "@gatehouse/ads";
import { EndpointFastPath } from "./endpoint-fast-path";
import { consumeEndpoints, type EndpointsConsumer } from "./endpoints-consumer";

export interface StartEndpointFastPathOptions {
  nc: NatsConnection;
  cache: ResourceCache;
  logger: Logger;
  /** Coalescing window in ms (default 5). */
  windowMs?: number;
  /** The most a busy process widens the window to (ms, default 50). */
  maxWindowMs?: number;
  /** Proxy IP family when a Gateway's IR has no ipFamily (follow the cluster). */
  defaultFamily?: IPFamily;
  registry?: Registry;
}

export interface EndpointFastPathHandle {
  readonly fastPath: EndpointFastPath;
  readonly consumer: EndpointsConsumer;
  /** Resolves once every EndpointSlice in the bucket is in the index. */
  readonly ready: Promise<void>;
  /** Call for every IR put: registers the Gateway's clusters (and pushes new ones). */
  setGateway(ir: GatewayIR): void;
  /** Call for every IR delete, with the Gateway key ("namespace/name"). */
  removeGateway(group: string): void;
  stop(): Promise<void>;
}

export async function startEndpointFastPath(opts: StartEndpointFastPathOptions): Promise<EndpointFastPathHandle> {
  const fastPath = new EndpointFastPath({
    cache: opts.cache,
    logger: opts.logger,
    windowMs: opts.windowMs,
    maxWindowMs: opts.maxWindowMs,
    defaultFamily: opts.defaultFamily,
    registry: opts.registry,
  });
  const consumer = await consumeEndpoints({ nc: opts.nc, fastPath, logger: opts.logger });
  return {
    fastPath,
    consumer,
    ready: consumer.ready,
    setGateway: (ir) => fastPath.setGateway(ir),
    removeGateway: (group) => fastPath.removeGateway(group),
    async stop() {
      await consumer.stop();
      fastPath.stop();
    },
  };
}
