// `gatehouse status`'s service rows: readiness asked of each live service's real /readyz
// (ready, not ready with the failing checks, silent), restarts from up.json, and a dead
// process shown as down without asking its port; rendered by up's own service table.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceRowsOf } from "./service-rows";
import { renderStatus } from "./status-view";
import type { UpState } from "./up-state";

/** An HTTP server on 127.0.0.1 answering /readyz with `status` and `body`. */
async function readyz(status: number, body: string): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === "/readyz" ? status : 404, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

describe("serviceRowsOf", () => {
  const servers: Server[] = [];
  const port = (s: Server) => (s.address() as AddressInfo).port;
  let silentPort = 0;

  beforeAll(async () => {
    servers.push(await readyz(200, '{"status":"ok"}'), await readyz(503, '{"status":"not ready","checks":{"bus":"ok","cluster-synced":"informers not synced yet"}}'));
    // A port nothing listens on: taken, then closed.
    const silent = await readyz(200, "");
    silentPort = port(silent);
    await new Promise((r) => silent.close(r));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it("shows each service's readiness and restarts as the up table does", async () => {
    const state: UpState = {
      pid: 100,
      natsUrl: "nats://127.0.0.1:1",
      xdsAddress: "127.0.0.1:18000",
      provider: "kubernetes",
      startedAt: "2026-01-01T00:00:00.000Z",
      services: [
        { name: "translator", pid: 11, healthPort: port(servers[0]), log: "t.log" },
        { name: "watcher", pid: 12, healthPort: port(servers[1]), log: "w.log", restarts: 2, lastExit: "code 1" },
        { name: "cert-manager", pid: 13, healthPort: silentPort, log: "c.log" },
        // Dead: its port answers ready (someone else's now), which must not count.
        { name: "xds-server", pid: 14, healthPort: port(servers[0]), log: "x.log", restarts: 1, lastExit: "signal SIGKILL" },
      ],
      bootstrapDir: "/b",
      bootstraps: {},
      statusFile: "",
    };
    const rows = await serviceRowsOf(state, (pid) => pid !== 14);
    expect(rows).toEqual([
      { name: "translator", pid: 11, ready: true, restarts: 0 },
      { name: "watcher", pid: 12, ready: false, detail: "cluster-synced: informers not synced yet", restarts: 2, lastExit: "code 1" },
      { name: "cert-manager", pid: 13, ready: false, detail: "not answering", restarts: 0 },
      { name: "xds-server", restarts: 1, lastExit: "signal SIGKILL" },
    ]);
    const table = renderStatus({ services: rows, gateways: new Map(), statuses: new Map(), proxies: [], fileErrors: [] }).split("\n").slice(0, 5);
    expect(table[0]).toMatch(/^SERVICE\s+PID\s+READY\s+RESTARTS$/);
    expect(table[1]).toMatch(/^translator\s+11\s+yes\s+0$/);
    expect(table[2]).toMatch(/^watcher\s+12\s+no \(cluster-synced: informers not synced yet\)\s+2 \(last: code 1\)$/);
    expect(table[3]).toMatch(/^cert-manager\s+13\s+no \(not answering\)\s+0$/);
    expect(table[4]).toMatch(/^xds-server\s+-\s+down\s+1 \(last: signal SIGKILL\)$/);
  });
});
