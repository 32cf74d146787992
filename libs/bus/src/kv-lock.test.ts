import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { connect, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KvLock } from "./kv-lock";
import { waitFor } from "./testdata/wait";

describe("KvLock", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  beforeAll(async () => {
    server = await startNatsServer({ forceSpawn: true });
    nc = await connect({ servers: server.url });
  }, 30_000);
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("has one holder at a time, renews by revision, and passes on release or expiry", async () => {
    const opts = { name: "signer", ttlMs: 1_000 };
    const a = await KvLock.open(nc, { ...opts, holder: "a" });
    const b = await KvLock.open(nc, { ...opts, holder: "b" });
    expect(await a.acquireOrRenew()).toBe(true);
    expect(await b.acquireOrRenew()).toBe(false);
    expect(await a.acquireOrRenew()).toBe(true);
    expect(await b.acquireOrRenew()).toBe(false);
    await a.release();
    expect(await b.acquireOrRenew()).toBe(true);
    expect(await a.acquireOrRenew()).toBe(false);
    // b stops renewing (as if killed): its lease runs out and a takes over.
    await waitFor("b's lease to expire", () => a.acquireOrRenew(), 10_000);
    expect(a.held).toBe(true);
    // b's renewal by its old revision fails: it learns it lost the lock.
    expect(await b.acquireOrRenew()).toBe(false);
    expect(b.held).toBe(false);
  }, 20_000);
});
