import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, listenDualStack } from "@gatehouse/runtime";
import { waitFor } from "@gatehouse/testing";
import { ReadinessPoller, readinessOf } from "./readiness-poller";

describe("readinessOf", () => {
  it("reads libs/runtime's /readyz: 200 is ready; a 503 names the checks that fail", () => {
    expect(readinessOf(200, '{"status":"ready","checks":{"nats":"ok"}}')).toEqual({ ready: true });
    expect(readinessOf(503, '{"status":"not ready","checks":{"nats":"ok","cluster-synced":"informers not synced yet"}}')).toEqual({
      ready: false,
      detail: "cluster-synced: informers not synced yet",
    });
    expect(readinessOf(500, "internal error\n")).toEqual({ ready: false, detail: "HTTP 500" });
  });
});

describe("ReadinessPoller", () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it("says nothing while a service starts, then follows its /readyz; a service that stops answering is 'not answering'", async () => {
    const port = await freePort();
    let ready = false;
    const poller = new ReadinessPoller(new Map([["translator", port]]), () => {}, 50);
    poller.start();
    try {
      // Nothing listens yet: starting, not an error.
      await new Promise((r) => setTimeout(r, 200));
      expect(poller.get("translator")).toBeUndefined();
      server = createServer((_req, res) => {
        res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: ready ? "ready" : "not ready", checks: { "initial-translation": ready ? "ok" : "initial replay and translation not done" } }));
      });
      await listenDualStack(server, port);
      expect((server.address() as AddressInfo).port).toBe(port);
      await waitFor("not ready with the reason", () => poller.get("translator")?.detail === "initial-translation: initial replay and translation not done");
      ready = true;
      await waitFor("ready", () => poller.get("translator")?.ready === true);
      server.closeAllConnections();
      await new Promise<void>((r) => server!.close(() => r()));
      await waitFor("not answering", () => poller.get("translator")?.detail === "not answering");
    } finally {
      poller.stop();
    }
  });
});
