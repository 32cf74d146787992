import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { connect, type NatsConnection, type StoredMsg } from "nats";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BucketStore } from "./bucket-store";
import { DEAD_LETTER_HEADERS, parseDeadLetter } from "./dead-letter";
import { DEAD_LETTER_STREAM, ensureBus } from "./declarations";
import { encodeKey } from "./keys";
import { waitFor } from "./testdata/wait";
import { watchBucket, type BucketWatch } from "./watch-bucket";
import type { StatusRecord } from "./codecs/status-codec";
import { chunkKey, decodeManifest } from "./chunked-kv";
import { largeIR } from "./testdata/sample-ir";
import { irRecord } from "./codecs/ir-codec";
import { gatewayBusKey } from "./keys";

type Event = { op: "put" | "del" | "replay-done"; key?: string; gen?: number; revision?: number; replay?: boolean };

function status(name: string, gen: number): StatusRecord {
  return { ref: { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "default", name }, observedGeneration: gen, status: { gen } };
}

function recorder() {
  const events: Event[] = [];
  const handlers = {
    onValue: (key: string, v: StatusRecord, meta: { revision: number; replay: boolean }) => {
      events.push({ op: "put", key, gen: v.observedGeneration, revision: meta.revision, replay: meta.replay });
    },
    onDelete: (key: string, meta: { revision: number; replay: boolean }) =>
      void events.push({ op: "del", key, revision: meta.revision, replay: meta.replay }),
    onReplayDone: () => void events.push({ op: "replay-done" }),
  };
  return { events, handlers };
}

async function lastDeadLetter(nc: NatsConnection, bucket: string) {
  const jsm = await nc.jetstreamManager();
  let found: StoredMsg | undefined;
  await waitFor(`a dead letter for ${bucket}`, async () => {
    found = await jsm.streams.getMessage(DEAD_LETTER_STREAM, { last_by_subj: `gatehouse.deadletter.${bucket}` }).catch(() => undefined);
    return found !== undefined;
  });
  return { headers: found!.header, data: found!.data };
}

function expectIncreasingRevisions(events: Event[]): void {
  const revs = events.filter((e) => e.revision !== undefined).map((e) => e.revision!);
  for (let i = 1; i < revs.length; i++) expect(revs[i], `revision at ${i}`).toBeGreaterThan(revs[i - 1]);
}

describe("watchBucket", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let store: BucketStore<"status">;
  const watches: BucketWatch[] = [];
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    server = await startNatsServer({ forceSpawn: true, maxPayload: 64 * 1024 });
    nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    await ensureBus(nc);
    store = await BucketStore.open(nc, "status");
  });
  afterEach(async () => {
    for (const w of watches.splice(0)) await w.stop();
    for (const c of connections.splice(0)) await c.close();
    const jsm = await nc.jetstreamManager();
    for (const s of ["KV_status", "KV_ir", DEAD_LETTER_STREAM]) await jsm.streams.purge(s);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("replays the latest value of every key, signals the end of the replay, then follows in order", async () => {
    for (let i = 0; i < 20; i++) await store.put(encodeKey({ kind: "HTTPRoute", namespace: "default", name: `r${i % 10}` }), status(`r${i % 10}`, i));
    await store.delete(encodeKey({ kind: "HTTPRoute", namespace: "default", name: "r9" }));
    const { events, handlers } = recorder();
    const watch = await watchBucket(nc, "status", handlers);
    watches.push(watch);
    await watch.replayed;
    const replayDone = events.findIndex((e) => e.op === "replay-done");
    const replayed = events.slice(0, replayDone);
    // latest value per key only: r0..r8 with gens 10..18, and the delete of r9
    expect(replayed.filter((e) => e.op === "put").map((e) => [e.key!.split(".")[2], e.gen])).toEqual(
      Array.from({ length: 9 }, (_, i) => [`r${i}`, 10 + i]),
    );
    expect(replayed.filter((e) => e.op === "del").map((e) => e.key)).toEqual(["HTTPRoute.default.r9"]);
    expect(replayed.every((e) => e.replay)).toBe(true);

    for (let i = 20; i < 120; i++) await store.put(encodeKey({ kind: "HTTPRoute", namespace: "default", name: `r${i % 7}` }), status(`r${i % 7}`, i));
    await waitFor("every update", () => events.filter((e) => e.op === "put").length === 9 + 100);
    const live = events.slice(replayDone + 1);
    expect(live.map((e) => e.gen)).toEqual(Array.from({ length: 100 }, (_, i) => 20 + i));
    expect(live.every((e) => e.replay === false)).toBe(true);
    expectIncreasingRevisions(events);
  });

  it("signals the end of the replay for an empty bucket", async () => {
    const { events, handlers } = recorder();
    const watch = await watchBucket(nc, "status", handlers);
    watches.push(watch);
    await watch.replayed;
    expect(events).toEqual([{ op: "replay-done" }]);
  });

  it("moves an undecodable value to the dead letter, logs its key, and goes on", async () => {
    const badKey = encodeKey({ kind: "HTTPRoute", namespace: "default", name: "bad.one" });
    const goodKey = encodeKey({ kind: "HTTPRoute", namespace: "default", name: "good" });
    await store.put(goodKey, status("good", 1));
    await store.kv.put(badKey, Buffer.from("definitely not protobuf"));
    const logged: Array<Record<string, unknown>> = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (o: object) => void logged.push(o as Record<string, unknown>),
      error: (o: object) => void logged.push(o as Record<string, unknown>),
      child() {
        return this;
      },
    };
    const { events, handlers } = recorder();
    const watch = await watchBucket(nc, "status", handlers, { logger });
    watches.push(watch);
    await watch.replayed;
    await store.put(goodKey, status("good", 2));
    await waitFor("the good update", () => events.filter((e) => e.op === "put").length === 2);
    expect(events.filter((e) => e.op === "put").map((e) => [e.key, e.gen])).toEqual([
      [goodKey, 1],
      [goodKey, 2],
    ]);
    expect(logged.find((l) => l.key === badKey)).toMatchObject({ key: badKey, messageType: "gatehouse.bus.v1.Status" });

    const msg = await lastDeadLetter(nc, "status");
    const letter = parseDeadLetter(msg);
    expect(letter).toMatchObject({ bucket: "status", key: badKey, messageType: "gatehouse.bus.v1.Status" });
    expect(letter.error).toMatch(/DecodeError/);
    expect(Buffer.from(letter.value).toString()).toBe("definitely not protobuf");
    expect(msg.headers.get(DEAD_LETTER_HEADERS.revision)).toMatch(/^\d+$/);
  });

  it("dead-letters a chunked value whose chunks were damaged", async () => {
    const irStore = await BucketStore.open(nc, "ir");
    const key = gatewayBusKey({ namespace: "infra", name: "broken" });
    await irStore.put(key, largeIR("broken", 100 * 1024));
    const m = decodeManifest((await irStore.kv.get(key))!.value)!;
    await irStore.kv.put(chunkKey(key, m.slot, 0), new Uint8Array(5));
    const values: string[] = [];
    const watch = await watchBucket(nc, "ir", { onValue: (k) => void values.push(k) });
    watches.push(watch);
    await watch.replayed;
    expect(values).toEqual([]);
    const letter = parseDeadLetter(await lastDeadLetter(nc, "ir"));
    expect(letter).toMatchObject({ bucket: "ir", key });
    expect(letter.error).toMatch(/ChunkError/);
  });

  it.each(["restart", "kill9"] as const)(
    "resumes after a nats-server %s with the same store, losing and reordering nothing",
    async (how) => {
      const { events, handlers } = recorder();
      const consumerNc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
      connections.push(consumerNc);
      const watch = await watchBucket(consumerNc, "status", handlers);
      watches.push(watch);
      await watch.replayed;

      // Each update goes to a new key, so none is superseded: all must arrive, in order.
      const total = 400;
      let written = 0;
      const writer = (async () => {
        for (let i = 0; i < total; i++) {
          const key = encodeKey({ kind: "HTTPRoute", namespace: "default", name: `k${i}` });
          await store.put(key, status(`k${i}`, i)); // retries by itself while the server is away
          written = i + 1;
        }
      })();
      await waitFor("some updates before the restart", () => events.length > 50);
      if (how === "restart") await server.restart();
      else {
        await server.kill9();
        await server.restart();
      }
      await writer;
      expect(written).toBe(total);
      await waitFor("every update after the restart", () => new Set(events.filter((e) => e.op === "put").map((e) => e.gen)).size === total, 30_000);
      const gens = events.filter((e) => e.op === "put").map((e) => e.gen!);
      // nothing lost, nothing out of order (a write retried after a lost ack may repeat)
      const firstSeen = gens.filter((g, i) => gens.indexOf(g) === i);
      expect(firstSeen).toEqual(Array.from({ length: total }, (_, i) => i));
      for (let i = 1; i < gens.length; i++) expect(gens[i]).toBeGreaterThanOrEqual(gens[i - 1]);
      expectIncreasingRevisions(events);
    },
    60_000,
  );

  it("keeps chunked writes of one key whole and in order across a nats-server restart", async () => {
    const writerNc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    const readerNc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    connections.push(writerNc, readerNc);
    const irStore = await BucketStore.open(writerNc, "ir");
    const key = gatewayBusKey({ namespace: "infra", name: "restarting" });
    const seen: string[] = [];
    const watch = await watchBucket(readerNc, "ir", { onValue: (_k, v) => void seen.push(v.contentHash) });
    watches.push(watch);
    await watch.replayed;
    const values = Array.from({ length: 16 }, (_, i) => largeIR("restarting", 150 * 1024 + i));
    const order = values.map((v) => irRecord(v).contentHash);
    // All writes issued at once: the store must apply them in call order, retrying the
    // ones the restart interrupts without letting a later one overtake them.
    const writes = Promise.all(values.map((v) => irStore.put(key, v)));
    await waitFor("the first values", () => seen.length >= 2);
    await server.restart();
    await writes;
    await waitFor("the last value", () => seen.at(-1) === order.at(-1), 30_000);
    const positions = seen.map((h) => order.indexOf(h));
    expect(positions.every((p) => p >= 0)).toBe(true);
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThanOrEqual(positions[i - 1]);
    expect((await irStore.get(key))!.value.contentHash).toBe(order.at(-1));
    const jsm = await nc.jetstreamManager();
    const dead = await jsm.streams.getMessage(DEAD_LETTER_STREAM, { last_by_subj: "gatehouse.deadletter.ir" }).catch(() => undefined);
    expect(dead).toBeUndefined();
  }, 60_000);
});
