import { existsSync } from "node:fs";
import { connect, StringCodec } from "nats";
import { afterAll, describe, expect, it } from "vitest";
import { startNatsServer, type NatsServerHandle } from "./nats-server";

const sc = StringCodec();

describe("startNatsServer", () => {
  let server: NatsServerHandle | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it("serves JetStream and keeps the store across restart and kill -9", async () => {
    server = await startNatsServer({ forceSpawn: true, maxPayload: 64 * 1024 });
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    const nc = await connect({ servers: server.url });
    expect(nc.info?.max_payload).toBe(64 * 1024);
    const kv = await nc.jetstream().views.kv("fixture-test");
    await kv.put("a", sc.encode("one"));
    await nc.close();

    await server.restart();
    const nc2 = await connect({ servers: server.url });
    const kv2 = await nc2.jetstream().views.kv("fixture-test");
    expect(sc.decode((await kv2.get("a"))!.value)).toBe("one");
    await kv2.put("a", sc.encode("two"));
    await nc2.close();

    await server.kill9();
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toThrow();
    await server.restart();
    const nc3 = await connect({ servers: server.url });
    const kv3 = await nc3.jetstream().views.kv("fixture-test");
    expect(sc.decode((await kv3.get("a"))!.value)).toBe("two");
    await nc3.close();

    const storeDir = server.storeDir;
    expect(existsSync(storeDir)).toBe(true);
    await server.stop();
    expect(existsSync(storeDir)).toBe(false);
    server = undefined;
  });
});
