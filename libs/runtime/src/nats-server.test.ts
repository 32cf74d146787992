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

  it("says when the binary is missing", async () => {
    await expect(launchNatsServer({ binary: "nats-server-that-does-not-exist" })).rejects.toBeInstanceOf(NatsServerMissingError);
  });
});
