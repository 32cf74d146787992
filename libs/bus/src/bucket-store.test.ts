import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { connect, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore } from "./bucket-store";
import { ChunkError, chunkKey, chunkKeysFilter, decodeManifest, getValue } from "./chunked-kv";
import { ensureBus } from "./declarations";
import { encodeKey, gatewayBusKey } from "./keys";
import { largeIR, sampleIR } from "./testdata/sample-ir";
import { watchBucket } from "./watch-bucket";
import { waitFor } from "./testdata/wait";
import { irRecord, type IrRecord } from "./codecs/ir-codec";
import { canonicalJSON } from "@gatehouse/ir";

const MiB = 1024 * 1024;

async function chunkKeys(store: BucketStore<"ir">, key: string): Promise<string[]> {
  const out: string[] = [];
  for await (const k of await store.kv.keys(chunkKeysFilter(key))) out.push(k);
  return out.sort();
}

describe("BucketStore", () => {
  describe("on a server with the default 1 MiB max_payload", () => {
    let server: NatsServerHandle;
    let nc: NatsConnection;
    beforeAll(async () => {
      server = await startNatsServer();
      nc = await connect({ servers: server.url });
      await ensureBus(nc);
    });
    afterAll(async () => {
      await nc?.close();
      await server?.stop();
    });

    it("stores, reads, lists and deletes typed values", async () => {
      const store = await BucketStore.open(nc, "resources");
      const object = { apiVersion: "v1", kind: "Service", metadata: { name: "web.v2", namespace: "default" }, spec: { ports: [{ port: 80 }] } };
      const key = encodeKey({ kind: "Service", namespace: "default", name: "web.v2" });
      const rev = await store.put(key, { object, source: "test" });
      expect(await store.get(key)).toEqual({ value: { object, source: "test" }, revision: rev });
      expect(await store.keys()).toEqual([key]);
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.keys()).toEqual([]);
    });

    it("splits a 3 MiB IR into chunks and gives it back whole to get and to watchers", async () => {
      expect(nc.info?.max_payload).toBe(MiB);
      const store = await BucketStore.open(nc, "ir");
      const ir = largeIR("big", 3 * MiB);
      const key = gatewayBusKey(ir.gateway);
      const seen: IrRecord[] = [];
      const watch = await watchBucket(nc, "ir", { onValue: (_k, v) => void seen.push(v) });
      await store.put(key, ir);
      const stored = await store.kv.get(key);
      const manifest = decodeManifest(stored!.value)!;
      expect(manifest.chunkCount).toBe(4);
      expect(manifest.totalSize).toBeGreaterThan(3 * MiB);
      expect((await store.get(key))!.value.ir).toEqual(ir);
      await waitFor("watcher to receive the large IR", () => seen.length === 1);
      expect(canonicalJSON(seen[0].ir)).toBe(canonicalJSON(ir));
      await watch.stop();
    });
  });

  describe("on a server with a 64 KiB max_payload", () => {
    let server: NatsServerHandle;
    let nc: NatsConnection;
    let store: BucketStore<"ir">;
    beforeAll(async () => {
      server = await startNatsServer({ maxPayload: 64 * 1024 });
      nc = await connect({ servers: server.url });
      await ensureBus(nc);
      store = await BucketStore.open(nc, "ir");
    });
    afterAll(async () => {
      await nc?.close();
      await server?.stop();
    });

    it("alternates chunk slots, and cleans chunks up when a value shrinks or goes", async () => {
      const key = gatewayBusKey({ namespace: "infra", name: "shrinking" });
      const first = largeIR("shrinking", 300 * 1024);
      await store.put(key, first);
      const m1 = decodeManifest((await store.kv.get(key))!.value)!;
      expect(m1.slot).toBe(0);
      expect(m1.chunkCount).toBeGreaterThanOrEqual(6);

      const second = largeIR("shrinking", 200 * 1024);
      await store.put(key, second);
      const m2 = decodeManifest((await store.kv.get(key))!.value)!;
      expect(m2.slot).toBe(1);
      expect((await store.get(key))!.value.ir).toEqual(second);

      await store.put(key, sampleIR("shrinking"));
      expect(decodeManifest((await store.kv.get(key))!.value)).toBeUndefined();
      expect((await store.get(key))!.value.ir).toEqual(sampleIR("shrinking"));
      expect(await chunkKeys(store, key)).toEqual([]);

      await store.put(key, first);
      expect((await chunkKeys(store, key)).length).toBe(m1.chunkCount);
      await store.delete(key);
      expect(await chunkKeys(store, key)).toEqual([]);
      expect(await store.get(key)).toBeUndefined();
    });

    it("keeps the current value readable when a writer dies half way through the next one", async () => {
      const key = gatewayBusKey({ namespace: "infra", name: "crash" });
      const good = largeIR("crash", 150 * 1024);
      await store.put(key, good);
      const m = decodeManifest((await store.kv.get(key))!.value)!;
      // A new writer starts the next value in the other slot and dies after two chunks.
      await store.kv.put(chunkKey(key, 1 - m.slot, 0), new Uint8Array(1000));
      await store.kv.put(chunkKey(key, 1 - m.slot, 1), new Uint8Array(1000));
      expect((await store.get(key))!.value.ir).toEqual(good);
      // A fresh writer (no memory of slots) picks up after the crash.
      const other = await BucketStore.open(nc, "ir");
      const next = largeIR("crash", 150 * 1024);
      await other.put(key, next);
      expect((await store.get(key))!.value.ir).toEqual(next);
    });

    it("reports a damaged chunked value instead of returning wrong bytes", async () => {
      const key = gatewayBusKey({ namespace: "infra", name: "damaged" });
      await store.put(key, largeIR("damaged", 150 * 1024));
      const m = decodeManifest((await store.kv.get(key))!.value)!;
      await store.kv.put(chunkKey(key, m.slot, 1), new Uint8Array(10));
      await expect(getValue(store.kv, key)).rejects.toThrow(ChunkError);
      await expect(store.get(key)).rejects.toThrow(/cannot be reassembled/);
    });

    it("applies concurrent writes of one key in call order, large and small alike", async () => {
      const key = gatewayBusKey({ namespace: "infra", name: "contended" });
      const values = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? sampleIR("contended", { gatewayClassName: `c${i}` }) : largeIR("contended", 100 * 1024 + i)));
      const seen: string[] = [];
      const watch = await watchBucket(nc, "ir", { onValue: (k, v) => void (k === key && seen.push(v.contentHash)) });
      await watch.replayed;
      const revisions = await Promise.all(values.map((v) => store.put(key, v)));
      for (let i = 1; i < revisions.length; i++) expect(revisions[i]).toBeGreaterThan(revisions[i - 1]);
      expect((await store.get(key))!.value.ir).toEqual(values[values.length - 1]);
      const last = irRecord(values[values.length - 1]).contentHash;
      await waitFor("the last value to reach the watcher", () => seen.at(-1) === last);
      // every value the watcher got is one that was written, in write order
      const order = values.map((v) => irRecord(v).contentHash);
      const positions = seen.map((h) => order.indexOf(h));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      await watch.stop();
    });

    it("chunks even small values that look like a manifest, so they are never misread", async () => {
      const key = encodeKey({ kind: "Raw", namespace: "x", name: "magic" });
      const bytes = Uint8Array.from([0x00, 0x47, 0x48, 0x43, 0x4b, 1, 2, 3]);
      await store.putBytes(key, bytes);
      expect(decodeManifest((await store.kv.get(key))!.value)).toMatchObject({ chunkCount: 1, totalSize: 8 });
      expect(Array.from((await getValue(store.kv, key))!.bytes)).toEqual(Array.from(bytes));
    });
  });
});
