import { existsSync } from "node:fs";
import { connect } from "nats";
import { describe, expect, it } from "vitest";
import { launchNatsServer, NatsServerMissingError } from "./nats-server";

describe("launchNatsServer", () => {
  it("runs a JetStream server on a free loopback port, restarts it on the same port and removes it on stop", async () => {
    const server = await launchNatsServer({ maxPayload: 2048 });
    try {
      expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
      const pid = server.pid;
      expect(pid).toBeGreaterThan(0);
      let nc = await connect({ servers: server.url });
      expect(nc.info?.max_payload).toBe(2048);
      await (await nc.jetstreamManager()).getAccountInfo();
      await nc.close();
      await server.kill9();
      expect(server.pid).toBe(0);
      await server.restart();
      expect(server.pid).not.toBe(pid);
      nc = await connect({ servers: server.url });
      await nc.close();
    } finally {
      await server.stop();
    }
    expect(server.pid).toBe(0);
  });

  it("tethered: runs under the watchdog, keeps its store across a restart and removes it on stop", async () => {
    const server = await launchNatsServer({ tethered: true });
    try {
      let nc = await connect({ servers: server.url });
      const kv = await nc.jetstream().views.kv("tethered");
      await kv.put("k", new TextEncoder().encode("v"));
      await nc.close();
      // The watchdog stands between: a SIGKILL of it would orphan nats-server, so it is refused.
      await expect(server.kill9()).rejects.toThrow(/tethered/);
      await server.restart();
      nc = await connect({ servers: server.url });
      const again = await nc.jetstream().views.kv("tethered");
      expect(new TextDecoder().decode((await again.get("k"))?.value)).toBe("v");
      await nc.close();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.storeDir)).toBe(false);
    await expect(connect({ servers: server.url, reconnect: false, timeout: 1_000 })).rejects.toThrow();
  }, 60_000);

  it("says when the binary is missing", async () => {
    await expect(launchNatsServer({ binary: "nats-server-that-does-not-exist" })).rejects.toBeInstanceOf(NatsServerMissingError);
  });
});
