// The `xds-events` stream: the xds-server publishes one event per ACK, NACK, connect and
// disconnect of a proxy under gatehouse.xds-events.<Gateway bus key>; the translator
// consumes them (from a start time, ordered, no acks needed) to report proxy status.
import type { NatsConnection } from "nats";
import { consumerOpts } from "nats";
import { parseGatewayKey } from "@gatehouse/ir";
import type { XdsEvent } from "./codecs/xds-event-codec";
import { DecodeError } from "./codecs/codec";
import { XDS_EVENTS_STREAM, XDS_EVENTS_SUBJECT_PREFIX, xdsEventsCodec } from "./declarations";
import { gatewayBusKey } from "./keys";
import { busLogger, type BusLogger } from "./logger";
import { publishDeadLetter } from "./dead-letter";

export function xdsEventSubject(gatewayKey: string): string {
  return `${XDS_EVENTS_SUBJECT_PREFIX}.${gatewayBusKey(parseGatewayKey(gatewayKey))}`;
}

/** Publishes one event; resolves once the stream stored it. */
export async function publishXdsEvent(nc: NatsConnection, event: XdsEvent): Promise<number> {
  const ack = await nc.jetstream().publish(xdsEventSubject(event.gatewayKey), xdsEventsCodec().encode(event));
  return ack.seq;
}

export interface XdsEventConsumerOptions {
  /** Only events at or after this time (default: the whole retained stream). */
  since?: Date;
  /** Only events of one Gateway ("namespace/name"). */
  gatewayKey?: string;
  logger?: BusLogger;
}

export interface XdsEventConsumer {
  stop(): Promise<void>;
}

/** Delivers events in stream order. Undecodable events are dead-lettered and skipped. */
export async function consumeXdsEvents(
  nc: NatsConnection,
  onEvent: (event: XdsEvent, seq: number) => void | Promise<void>,
  opts: XdsEventConsumerOptions = {},
): Promise<XdsEventConsumer> {
  const log = busLogger(opts.logger, "xds-events");
  // The push-based ordered consumer (as KV watchers use): it works with nats-server 2.9,
  // whose consumer API lacks the multi-filter creation the newer consumers API sends.
  const copts = consumerOpts().orderedConsumer();
  copts.bindStream(XDS_EVENTS_STREAM);
  copts.filterSubject(opts.gatewayKey ? xdsEventSubject(opts.gatewayKey) : `${XDS_EVENTS_SUBJECT_PREFIX}.>`);
  if (opts.since) copts.startTime(opts.since);
  else copts.deliverAll();
  const messages = await nc.jetstream().subscribe(opts.gatewayKey ? xdsEventSubject(opts.gatewayKey) : `${XDS_EVENTS_SUBJECT_PREFIX}.>`, copts);
  let stopped = false;
  const loop = (async () => {
    for await (const m of messages) {
      if (stopped) break;
      let event: XdsEvent;
      try {
        event = xdsEventsCodec().decode(m.data);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        log.warn({ subject: m.subject, seq: m.seq, error: err.message }, "undecodable xds event moved to the dead letter");
        await publishDeadLetter(nc, {
          bucket: XDS_EVENTS_STREAM,
          key: m.subject,
          revision: m.seq,
          error: err.message,
          messageType: xdsEventsCodec().messageType,
          value: m.data,
        }).catch((e) => log.error({ err: e }, "could not publish to the dead letter"));
        continue;
      }
      try {
        await onEvent(event, m.seq);
      } catch (err) {
        log.error({ err, seq: m.seq }, "xds event handler failed");
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      messages.unsubscribe();
      await loop;
    },
  };
}
