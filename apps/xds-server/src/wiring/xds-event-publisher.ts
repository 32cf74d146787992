// ADS events -> the `xds-events` stream, so the translator can put NACKs into Gateway
// status and `gatehouse status` can show connected proxies and their ACKed versions.
// Publishing never blocks a stream: events queue here and go out in order; while NATS is
// away they wait (bounded; the oldest are dropped with a count, since every push repeats
// the proxy's state anyway).
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { Counter, register } from "prom-client";
import { publishXdsEvent, type XdsEvent } from "@gatehouse/bus";
import { parseGatewayKey } from "@gatehouse/ir";
import type { AckEvent, ConnectEvent, DisconnectEvent, NackEvent, XdsEventListener } from "@gatehouse/ads";

export interface XdsEventPublisherOptions {
  nc: NatsConnection;
  logger: Logger;
  serverId: string;
  maxQueued?: number;
}

export class XdsEventPublisher implements XdsEventListener {
  private queue: XdsEvent[] = [];
  private draining: Promise<void> | undefined;
  private readonly log: Logger;
  private readonly dropped: Counter;

  constructor(private readonly opts: XdsEventPublisherOptions) {
    this.log = opts.logger.child({ component: "xds-event-publisher" });
    this.dropped =
      (register.getSingleMetric("gatehouse_xds_events_dropped_total") as Counter) ??
      new Counter({ name: "gatehouse_xds_events_dropped_total", help: "xDS events dropped because NATS was away too long" });
  }

  onConnect(e: ConnectEvent): void {
    this.push(e, "CONNECTED", { typeUrl: "", version: "", nonce: "", errorDetail: "", at: e.at });
  }

  onDisconnect(e: DisconnectEvent): void {
    this.push(e, "DISCONNECTED", { typeUrl: "", version: "", nonce: "", errorDetail: "", at: e.at });
  }

  onAck(e: AckEvent): void {
    this.push(e, "ACK", { typeUrl: e.typeUrl, version: e.version, nonce: e.nonce, errorDetail: "", at: e.at });
  }

  onNack(e: NackEvent): void {
    // NACKs are counted per type by the ADS server's own metrics (gatehouse_xds_nacks_total).
    this.log.warn({ node: e.nodeId, gateway: e.group, typeUrl: e.typeUrl, version: e.version, error: e.errorMessage }, "proxy NACKed");
    this.push(e, "NACK", { typeUrl: e.typeUrl, version: e.version, nonce: e.nonce, errorDetail: e.errorMessage, at: e.at });
  }

  /** Resolves once everything queued so far is stored (or dropped). */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private push(
    id: { nodeId: string; group: string },
    kind: XdsEvent["kind"],
    f: { typeUrl: string; version: string; nonce: string; errorDetail: string; at: Date },
  ): void {
    try {
      parseGatewayKey(id.group);
    } catch {
      return; // not a Gateway's proxy (a test client, a misconfigured node.cluster)
    }
    this.queue.push({
      nodeId: id.nodeId,
      gatewayKey: id.group,
      typeUrl: f.typeUrl,
      version: f.version,
      nonce: f.nonce,
      kind,
      errorDetail: f.errorDetail,
      timeUnixMs: f.at.getTime(),
      serverId: this.opts.serverId,
    });
    const max = this.opts.maxQueued ?? 10_000;
    if (this.queue.length > max) {
      const drop = this.queue.length - max;
      this.queue.splice(0, drop);
      this.dropped.inc(drop);
    }
    if (!this.draining) this.draining = this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const event = this.queue[0];
      try {
        await publishXdsEvent(this.opts.nc, event);
        this.queue.shift();
      } catch (err) {
        if (this.opts.nc.isClosed()) {
          this.queue = [];
          return;
        }
        this.log.warn({ err }, "could not publish an xDS event; retrying");
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
