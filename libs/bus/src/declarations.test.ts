import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { connect, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUCKETS, DEAD_LETTER_STREAM, ensureBus, STREAMS, XDS_EVENTS_STREAM } from "./declarations";

describe("ensureBus", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("creates every bucket and stream with its retention, idempotently and concurrently", async () => {
    await Promise.all([ensureBus(nc), ensureBus(nc), ensureBus(nc)]);
    await ensureBus(nc);
    const jsm = await nc.jetstreamManager();
    for (const spec of Object.values(BUCKETS)) {
      const info = await jsm.streams.info(`KV_${spec.bucket}`);
      expect(info.config.max_msgs_per_subject, spec.bucket).toBe(1);
      expect(info.config.subjects).toEqual([`$KV.${spec.bucket}.>`]);
    }
    const events = await jsm.streams.info(XDS_EVENTS_STREAM);
    expect(events.config).toMatchObject({ retention: "limits", discard: "old", max_age: 24 * 3600 * 1e9, subjects: ["gatehouse.xds-events.>"] });
    const dead = await jsm.streams.info(DEAD_LETTER_STREAM);
    expect(dead.config.subjects).toEqual(["gatehouse.deadletter.>"]);
    expect(Object.keys(STREAMS).sort()).toEqual([DEAD_LETTER_STREAM, XDS_EVENTS_STREAM].sort());
  });

  it("brings a bucket created with other settings back to the declaration", async () => {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info("KV_status");
    await jsm.streams.update("KV_status", { ...info.config, max_msgs_per_subject: 5 });
    await jsm.streams.update(XDS_EVENTS_STREAM, { ...(await jsm.streams.info(XDS_EVENTS_STREAM)).config, max_age: 3600 * 1e9 });
    await ensureBus(nc);
    expect((await jsm.streams.info("KV_status")).config.max_msgs_per_subject).toBe(1);
    expect((await jsm.streams.info(XDS_EVENTS_STREAM)).config.max_age).toBe(24 * 3600 * 1e9);
  });
});
