// The floor: what the machine needs for one endpoint change with no Gatehouse code in the
// way. A NATS KV put (here), the KV watch delivering it, the assignment encoded and a
// DeltaDiscoveryResponse written to every client stream (floor-process.ts, a process of
// its own as the xds-server is), received by the same Delta test clients the Gatehouse
// run uses, so both sides of the comparison pay the same client costs.
import type { NatsConnection } from "nats";
import { XdsTestClient } from "@gatehouse/testing";
import { TYPE_URLS } from "@gatehouse/xds";
import { child } from "./child";
import type { FromFloor, ToFloor } from "./floor-process";

const EDS = TYPE_URLS.endpoint;

export interface FloorOptions {
  nc: NatsConnection;
  natsUrl: string;
  endpoints: number;
  clients: number;
  samples: number;
}

export interface FloorResult {
  /** Put → receipt, per client per sample (ms). */
  perClientMs: number[];
  /** Put → receipt by the last client, per sample (ms). */
  lastClientMs: number[];
  claBytes: number;
}

export async function measureFloor(opts: FloorOptions): Promise<FloorResult> {
  const bucket = `floor-${process.pid}-${opts.endpoints}-${opts.clients}`;
  const kv = await opts.nc.jetstream().views.kv(bucket, { history: 1 });
  const server = child<ToFloor, FromFloor>("./floor-process.ts", { NATS_URL: opts.natsUrl, FLOOR_BUCKET: bucket, FLOOR_ENDPOINTS: String(opts.endpoints) });
  const ready = (await server.ready) as Extract<FromFloor, { type: "ready" }>;
  const clients: XdsTestClient[] = [];
  try {
    for (let i = 0; i < opts.clients; i++) {
      const c = XdsTestClient.connect(`127.0.0.1:${ready.port}`, { id: `floor-${i}`, cluster: "floor" }, { protocol: "delta" });
      c.subscribe(EDS, ["floor"]);
      clients.push(c);
    }
    const deadline = performance.now() + 60_000;
    for (;;) {
      const m = (await server.call({ type: "streams" })) as Extract<FromFloor, { type: "done" }>;
      if (m.streams === opts.clients) break;
      if (performance.now() > deadline) throw new Error("floor streams did not open");
      await new Promise((r) => setTimeout(r, 20));
    }
    const perClientMs: number[] = [];
    const lastClientMs: number[] = [];
    for (let i = 1; i <= opts.samples; i++) {
      const version = String(i);
      const t0 = performance.now();
      await kv.put("floor", new TextEncoder().encode(version));
      const times = await Promise.all(clients.map((c) => receiptOf(c, version)));
      for (const t of times) perClientMs.push(t - t0);
      lastClientMs.push(Math.max(...times) - t0);
      for (const c of clients) c.responses.length = 0;
    }
    const m = (await server.call({ type: "streams" })) as Extract<FromFloor, { type: "done" }>;
    return { perClientMs, lastClientMs, claBytes: m.claBytes ?? 0 };
  } finally {
    for (const c of clients) c.close();
    await server.call({ type: "stop" });
    const jsm = await opts.nc.jetstreamManager();
    await jsm.streams.delete(`KV_${bucket}`).catch(() => undefined);
  }
}

/** When the client received the response carrying `version` of the floor assignment. */
async function receiptOf(client: XdsTestClient, version: string): Promise<number> {
  let at = 0;
  await client.waitFor(
    (c) => {
      const r = c.responses.find((x) => x.resources.some((res) => res.version === version));
      if (r) at = r.receivedAt;
      return r !== undefined;
    },
    30_000,
    `floor version ${version}`,
  );
  return at;
}

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
