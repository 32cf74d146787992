import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import type { NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { XdsEvent } from "./codecs/xds-event-codec";
import { connectBus, natsConnected } from "./connect";
import { DEAD_LETTER_STREAM, ensureBus } from "./declarations";
import { waitFor } from "./testdata/wait";
import { consumeXdsEvents, publishXdsEvent, xdsEventSubject } from "./xds-events";

function event(i: number, gatewayKey = "infra/edge.gw"): XdsEvent {
  return {
    nodeId: `envoy-${i}`,
    gatewayKey,
    typeUrl: "type.googleapis.com/envoy.config.listener.v3.Listener",
    version: `v${i}`,
    nonce: String(i),
    kind: i % 2 ? "NACK" : "ACK",
    errorDetail: i % 2 ? "rejected" : "",
    timeUnixMs: 1_700_000_000_000 + i,
    serverId: "xds-0",
  };
}

describe("xds-events", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  beforeAll(async () => {
    server = await startNatsServer({ forceSpawn: true });
    nc = await connectBus({ servers: server.url, name: "xds-events-test" });
    await ensureBus(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("delivers events in order, per Gateway when asked, and dead-letters undecodable ones", async () => {
    expect(xdsEventSubject("infra/edge.gw")).toBe("gatehouse.xds-events.Gateway.infra.edge_2Egw");
    for (let i = 0; i < 5; i++) await publishXdsEvent(nc, event(i));
    await nc.jetstream().publish(xdsEventSubject("infra/edge.gw"), Buffer.from("garbage"));
    for (let i = 5; i < 10; i++) await publishXdsEvent(nc, event(i, i === 7 ? "other/gw" : "infra/edge.gw"));

    const all: XdsEvent[] = [];
    const consumer = await consumeXdsEvents(nc, (e) => void all.push(e));
    await waitFor("all events", () => all.length === 10);
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => event(i, i === 7 ? "other/gw" : "infra/edge.gw")));
    await consumer.stop();

    const one: XdsEvent[] = [];
    const filtered = await consumeXdsEvents(nc, (e) => void one.push(e), { gatewayKey: "other/gw" });
    await waitFor("the other Gateway's event", () => one.length === 1);
    expect(one[0].nodeId).toBe("envoy-7");
    await filtered.stop();

    const jsm = await nc.jetstreamManager();
    const letter = await jsm.streams.getMessage(DEAD_LETTER_STREAM, { last_by_subj: "gatehouse.deadletter.xds-events" });
    expect(Buffer.from(letter.data).toString()).toBe("garbage");
  });

  it("resumes after a nats-server restart without losing or repeating events", async () => {
    const got: number[] = [];
    const consumer = await consumeXdsEvents(nc, (_e, seq) => void got.push(seq), { gatewayKey: "restart/gw" });
    const first = await publishXdsEvent(nc, event(100, "restart/gw"));
    await waitFor("the first event", () => got.length === 1);
    await server.restart();
    const seqs = [first];
    for (let i = 0; i < 5; i++) {
      for (;;) {
        try {
          seqs.push(await publishXdsEvent(nc, event(101 + i, "restart/gw")));
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50)); // the server is coming back
        }
      }
    }
    await waitFor("every event after the restart", () => got.length >= seqs.length, 20_000);
    expect(got).toEqual(seqs);
    expect(consumer.lastSeq).toBe(seqs.at(-1));
    await consumer.stop();
  });

  it("reports the connection state for readiness across a server restart", async () => {
    const own = await connectBus({ servers: server.url, name: "readiness-test" });
    const connected = natsConnected(own);
    expect(connected()).toBe(true);
    await server.kill9();
    await waitFor("disconnect seen", () => !connected());
    await server.restart();
    await waitFor("reconnect seen", () => connected(), 20_000);
    await own.close();
    expect(connected()).toBe(false);
  });
});
