// The bus on its own (libs/bus over a real nats-server): how fast a writer stores
// values, how long a value takes from put() to a watcher's onValue (the floor under every
// pipeline latency), how long a replay of many keys takes, and the cost of splitting a
// 3 MiB IR into chunks on a 1 MiB max_payload server.
import { BucketStore, encodeKey, ensureBus, watchBucket, type EndpointSliceInput } from "@gatehouse/bus";
import { IR_SCHEMA_VERSION, type GatewayIR } from "@gatehouse/ir";
import { startNatsServer } from "@gatehouse/testing";
import { randomBytes } from "node:crypto";
import { connect } from "nats";
import { percentile, printTable, writeResults, type Row } from "./report";

function slice(i: number, gen: number): EndpointSliceInput {
  return {
    metadata: { namespace: "bench", name: `svc-${i % 100}.slice-${i}`, labels: { "kubernetes.io/service-name": `svc-${i % 100}` } },
    addressType: "IPv4",
    endpoints: Array.from({ length: 10 }, (_, e) => ({
      addresses: [`10.${i % 250}.${e}.${gen % 250}`],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: `node-${e}`,
      zone: `zone-${e % 3}`,
    })),
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
  };
}

function bigIR(bytes: number): GatewayIR {
  const clusters = [];
  for (let size = 0, i = 0; size < bytes; i++) {
    const c = { name: `cluster-${i}`, pad: randomBytes(1024).toString("hex") };
    size += JSON.stringify(c).length + 1;
    clusters.push(c);
  }
  return {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: { namespace: "bench", name: "big" },
    gatewayClassName: "gatehouse",
    listeners: [],
    clusters: clusters as unknown as GatewayIR["clusters"],
    secrets: [],
    infrastructure: {} as GatewayIR["infrastructure"],
  };
}

export async function run(argv: string[]): Promise<void> {
  const keys = Number(argv[0] ?? 10_000);
  const server = await startNatsServer({ forceSpawn: true });
  const writerNc = await connect({ servers: server.url });
  const readerNc = await connect({ servers: server.url });
  try {
    await ensureBus(writerNc);
    const store = await BucketStore.open(writerNc, "endpoints");
    const rows: Row[] = [];
    const results: Record<string, unknown> = { keys };

    // 1. Write throughput: one writer, concurrent puts of distinct keys.
    const t0 = performance.now();
    const batch = 256;
    for (let i = 0; i < keys; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, keys - i) }, (_, j) =>
          store.put(encodeKey({ kind: "EndpointSlice", namespace: "bench", name: `svc.${i + j}` }), slice(i + j, 0)),
        ),
      );
    }
    const writeMs = performance.now() - t0;
    rows.push({ measure: `put ${keys} EndpointSlices (10 endpoints each)`, value: Math.round(keys / (writeMs / 1000)), unit: "puts/s" });

    // 2. Replay: a new watcher receives the latest value of every key.
    const r0 = performance.now();
    let replayed = 0;
    const latencies: number[] = [];
    const sentAt = new Map<string, number>();
    const watch = await watchBucket(readerNc, "endpoints", {
      onValue: (key) => {
        replayed++;
        const t = sentAt.get(key);
        if (t !== undefined) {
          latencies.push(performance.now() - t);
          sentAt.delete(key);
        }
      },
    });
    await watch.replayed;
    const replayMs = performance.now() - r0;
    rows.push({ measure: `replay ${replayed} keys to a new watcher`, value: Math.round(replayMs), unit: "ms" });

    // 3. put() to onValue latency, one change at a time.
    const samples = 500;
    for (let i = 0; i < samples; i++) {
      const key = encodeKey({ kind: "EndpointSlice", namespace: "bench", name: `svc.${i}` });
      sentAt.set(key, performance.now());
      await store.put(key, slice(i, i + 1));
      const deadline = Date.now() + 5000;
      while (sentAt.has(key) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    }
    rows.push({ measure: `put→onValue latency p50 (${samples} changes)`, value: percentile(latencies, 50).toFixed(2), unit: "ms" });
    rows.push({ measure: `put→onValue latency p99`, value: percentile(latencies, 99).toFixed(2), unit: "ms" });
    await watch.stop();

    // 4. A 3 MiB IR on a 1 MiB max_payload server: chunked put and get.
    const irStore = await BucketStore.open(writerNc, "ir");
    const ir = bigIR(3 * 1024 * 1024);
    const putTimes: number[] = [];
    const getTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const p0 = performance.now();
      await irStore.put("Gateway.bench.big", ir);
      putTimes.push(performance.now() - p0);
      const g0 = performance.now();
      await irStore.get("Gateway.bench.big");
      getTimes.push(performance.now() - g0);
    }
    rows.push({ measure: "3 MiB IR chunked put p50 (4 chunks, encode + sha256 included)", value: percentile(putTimes, 50).toFixed(1), unit: "ms" });
    rows.push({ measure: "3 MiB IR chunked get p50 (reassemble + verify + decode)", value: percentile(getTimes, 50).toFixed(1), unit: "ms" });

    Object.assign(results, { writeMs, replayMs, replayed, latencies, putTimes, getTimes });
    printTable("libs/bus over a local nats-server (file store)", rows);
    writeResults("bus", results);
  } finally {
    await writerNc.close();
    await readerNc.close();
    await server.stop();
  }
}
