import { existsSync } from "node:fs";
import { connect } from "nats";
import { describe, expect, it } from "vitest";
import { NATS_MISSING_MESSAGE, NatsMissingError, startLocalNats } from "./local-nats";

describe("startLocalNats", () => {
  it("runs a JetStream server on a free loopback port and removes its store on stop", async () => {
    const nats = await startLocalNats();
    expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    const nc = await connect({ servers: nats.url });
    const kv = await nc.jetstream().views.kv("up-test");
    await kv.put("k", new TextEncoder().encode("v"));
    await nc.close();
    expect(existsSync(nats.storeDir)).toBe(true);
    await nats.stop();
    expect(existsSync(nats.storeDir)).toBe(false);
    await expect(connect({ servers: nats.url, reconnect: false, timeout: 1_000 })).rejects.toThrow();
  });

  it("says how to install nats-server when it is missing", async () => {
    await expect(startLocalNats({ binary: "nats-server-that-does-not-exist" })).rejects.toBeInstanceOf(NatsMissingError);
    expect(NATS_MISSING_MESSAGE).toContain("apt-get install nats-server");
    expect(NATS_MISSING_MESSAGE).toContain("https://github.com/nats-io/nats-server/releases");
    expect(NATS_MISSING_MESSAGE).toContain("NATS_URL");
  });
});
