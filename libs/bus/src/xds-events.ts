// The `xds-events` stream: the xds-server publishes one event per ACK, NACK, connect and
// disconnect of a proxy under gatehouse.xds-events.<Gateway bus key>; the translator
// consumes them in stream order to report proxy status. Like watchBucket, the consumer
// resumes after a reconnect from the sequence after the last event it handled.
import type { JetStreamSubscription, NatsConnection } from "nats";
import { consumerOpts } from "nats";
import { parseGatewayKey } from "@gatehouse/ir";
import type { XdsEvent } from "./codecs/xds-event-codec";
import { DecodeError } from "./codecs/codec";
import { XDS_EVENTS_STREAM, XDS_EVENTS_SUBJECT_PREFIX, xdsEventsCodec } from "./declarations";
import { gatewayBusKey } from "./keys";
import { Backoff } from "@gatehouse/runtime";
import { busLogger, type BusLogger } from "./logger";
import { RESUME_BACKOFF } from "./retry";
import { publishDeadLetter } from "./dead-letter";

export function xdsEventSubject(gatewayKey: string): string {
  return `${XDS_EVENTS_SUBJECT_PREFIX}.${gatewayBusKey(parseGatewayKey(gatewayKey))}`;
}

/** Publishes one event; resolves with its stream sequence once the stream stored it. */
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
  /** Stream sequence of the last event handled. */
  readonly lastSeq: number;
  stop(): Promise<void>;
}

/** Delivers events in stream order. Undecodable events are dead-lettered and skipped. */
export async function consumeXdsEvents(
  nc: NatsConnection,
  onEvent: (event: XdsEvent, seq: number) => void | Promise<void>,
  opts: XdsEventConsumerOptions = {},
): Promise<XdsEventConsumer> {
  const log = busLogger(opts.logger, "xds-events");
  const subject = opts.gatewayKey ? xdsEventSubject(opts.gatewayKey) : `${XDS_EVENTS_SUBJECT_PREFIX}.>`;
  let lastSeq = 0;
  let stopped = false;
  let sub: JetStreamSubscription | undefined;
  let loop: Promise<void> = Promise.resolve();

  const handle = async (data: Uint8Array, msgSubject: string, seq: number): Promise<void> => {
    let event: XdsEvent;
    try {
      event = xdsEventsCodec().decode(data);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      log.warn({ subject: msgSubject, seq, error: err.message }, "undecodable xds event moved to the dead letter");
      await publishDeadLetter(nc, {
        bucket: XDS_EVENTS_STREAM,
        key: msgSubject,
        revision: seq,
        error: `${err.name}: ${err.message}`,
        messageType: xdsEventsCodec().messageType,
        value: data,
      }).catch((e) => log.error({ err: e }, "could not publish to the dead letter"));
      return;
    }
    try {
      await onEvent(event, seq);
    } catch (err) {
      log.error({ err, seq }, "xds event handler failed");
    }
  };

  // The push-based ordered consumer (as KV watchers use): it works with nats-server 2.9,
  // whose consumer API lacks the multi-filter creation the newer consumers API sends.
  const open = async (): Promise<void> => {
    const copts = consumerOpts().orderedConsumer();
    copts.bindStream(XDS_EVENTS_STREAM);
    copts.filterSubject(subject);
    if (lastSeq > 0) copts.startSequence(lastSeq + 1);
    else if (opts.since) copts.startTime(opts.since);
    else copts.deliverAll();
    const s = await nc.jetstream().subscribe(subject, copts);
    sub = s;
    loop = (async () => {
      try {
        for await (const m of s) {
          if (stopped) break;
          if (m.seq <= lastSeq) continue;
          await handle(m.data, m.subject, m.seq);
          lastSeq = m.seq;
        }
      } catch (err) {
        if (!stopped) log.warn({ err }, "xds event consumer failed");
      }
    })();
  };

  let resuming: Promise<void> | undefined;
  const resume = () => {
    resuming ??= (async () => {
      sub?.unsubscribe();
      await loop;
      const backoff = new Backoff(RESUME_BACKOFF);
      while (!stopped && !nc.isClosed()) {
        try {
          await open();
          log.info({ fromSeq: lastSeq + 1 }, "resumed xds event consumer");
          return;
        } catch (err) {
          log.warn({ err }, "could not resume xds event consumer; retrying");
          await backoff.wait();
        }
      }
    })().finally(() => (resuming = undefined));
  };

  await open();
  const statuses = nc.status();
  void (async () => {
    for await (const s of statuses) {
      if (stopped) break;
      if (s.type === "reconnect") resume();
    }
  })();

  return {
    get lastSeq() {
      return lastSeq;
    },
    async stop() {
      stopped = true;
      (statuses as { stop?: () => void }).stop?.();
      sub?.unsubscribe();
      await loop;
      await resuming;
    },
  };
}
