// The Aggregated Discovery Service: takes gRPC calls, makes a SotW or Delta stream for each,
// and gives the rest of the service events (connect, ACK, NACK, disconnect) and a status
// snapshot of connected proxies. Transport (ports, TLS, keepalive) lives in transport.ts.
import type { ResourceCache } from "../cache/index";
import type { ServerDuplexStream, UntypedServiceImplementation } from "@grpc/grpc-js";
import { pino, type Logger } from "pino";
import type { Registry } from "prom-client";
import type { AdsStream, StreamContext, StreamStatus } from "./ads-stream";
import { DeltaStream } from "./delta-stream";
import type {
  DeltaDiscoveryRequest,
  DeltaDiscoveryResponse,
  DiscoveryRequest,
  DiscoveryResponse,
  NodeInfo,
} from "./discovery-messages";
import { XdsEventHub, type XdsEventListener } from "./events";
import { xdsMetrics } from "./metrics";
import { NackMemory } from "./nack-memory";
import { SotwStream } from "./sotw-stream";

export interface AdsServerOptions {
  readonly cache: ResourceCache;
  readonly logger?: Logger;
  /** Where the metrics go (the default prom-client registry when absent). */
  readonly registry?: Registry;
  /** The group of a node; node.cluster (the Gateway key) by default. */
  readonly groupOf?: (node: NodeInfo) => string;
}

/** The group of a proxy: its node.cluster, which Gatehouse sets to the Gateway key "ns/name". */
export function defaultGroupOf(node: NodeInfo): string {
  return node.cluster ?? "";
}

export class AdsServer {
  readonly cache: ResourceCache;
  private readonly ctx: StreamContext;
  private readonly streams = new Map<number, AdsStream>();
  private readonly events: XdsEventHub;
  private nextStreamId = 0;

  constructor(options: AdsServerOptions) {
    this.cache = options.cache;
    const logger = (options.logger ?? pino({ level: "silent" })).child({ component: "xds-ads" });
    this.events = new XdsEventHub((err, kind) => logger.error({ err, kind }, "xDS event listener failed"));
    this.ctx = {
      cache: options.cache,
      logger,
      metrics: xdsMetrics(options.registry),
      events: this.events,
      nacks: new NackMemory(),
      groupOf: options.groupOf ?? defaultGroupOf,
    };
  }

  /** Listens to connect, disconnect, ACK and NACK events. Returns the function that stops it. */
  addEventListener(listener: XdsEventListener): () => void {
    return this.events.add(listener);
  }

  /** Handlers for grpc.Server.addService(adsServiceDefinition(), ...). */
  handlers(): UntypedServiceImplementation {
    return {
      StreamAggregatedResources: (call: ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => {
        const stream = new SotwStream(this.ctx, ++this.nextStreamId, call);
        this.attach(stream, call);
      },
      DeltaAggregatedResources: (call: ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>) => {
        const stream = new DeltaStream(this.ctx, ++this.nextStreamId, call);
        this.attach(stream, call);
      },
    };
  }

  private attach<Req, Res>(stream: AdsStream<Req, Res>, call: ServerDuplexStream<Req, Res>): void {
    this.streams.set(stream.streamId, stream);
    const done = (reason: string) => {
      this.streams.delete(stream.streamId);
      stream.close(reason);
    };
    call.on("data", (req: Req) => {
      if (stream.isClosed) return;
      try {
        stream.onRequest(req);
      } catch (err) {
        // A bug in request handling: end this stream, keep the server.
        this.ctx.logger.error({ err, streamId: stream.streamId }, "ADS request handling failed");
        call.emit("error", { code: 13, details: "internal error" });
        done("internal error");
      }
    });
    call.on("end", () => {
      done("client closed the stream");
      call.end();
    });
    call.on("cancelled", () => done("cancelled"));
    call.on("error", (err: Error) => done(`error: ${err.message}`));
    call.on("close", () => done("closed"));
  }

  /** Every connected proxy with its subscriptions and ACKed versions per type. */
  status(): StreamStatus[] {
    return [...this.streams.values()]
      .filter((s) => s.group && !s.isClosed)
      .map((s) => s.status())
      .sort((a, b) => a.group.localeCompare(b.group) || a.nodeId.localeCompare(b.nodeId) || a.streamId - b.streamId);
  }

  /** Number of open streams (identified or not). */
  get streamCount(): number {
    return this.streams.size;
  }
}
