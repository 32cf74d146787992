import { request } from "node:http";
import { Counter, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { HealthServer } from "./health-server";

function get(host: string, port: number, path: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, family: host.includes(":") ? 6 : 4 }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers["content-type"]) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("HealthServer", () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("serves /healthz, /readyz and /metrics on IPv6 and IPv4 loopback from one dual-stack socket", async () => {
    const registry = new Registry();
    const pushes = new Counter({ name: "gatehouse_test_pushes_total", help: "test", registers: [registry] });
    pushes.inc(3);
    server = new HealthServer({ port: 0, registry });
    let connected = false;
    let replayed: boolean | string = "initial replay of ir running";
    server.addReadinessCheck("nats", () => connected);
    server.addReadinessCheck("replay", async () => replayed);
    await server.start();
    expect(server.host).toBe("::");
    const port = server.port;

    for (const host of ["::1", "127.0.0.1"]) {
      expect(await get(host, port, "/healthz"), host).toMatchObject({ status: 200 });
      const notReady = await get(host, port, "/readyz");
      expect(notReady.status).toBe(503);
      expect(JSON.parse(notReady.body)).toEqual({ status: "not ready", checks: { nats: "failed", replay: "initial replay of ir running" } });
    }
    connected = true;
    replayed = true;
    for (const host of ["::1", "127.0.0.1"]) {
      const ready = await get(host, port, "/readyz");
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({ status: "ready", checks: { nats: "ok", replay: "ok" } });
      const metrics = await get(host, port, "/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.type).toContain("text/plain");
      expect(metrics.body).toContain("gatehouse_test_pushes_total 3");
      expect(metrics.body).toContain("process_cpu_user_seconds_total");
    }
    expect((await get("127.0.0.1", port, "/nope")).status).toBe(404);
  });

  it("fails a readiness check that throws or hangs, and liveness checks fail /healthz", async () => {
    server = new HealthServer({ port: 0, registry: new Registry(), checkTimeoutMs: 100 });
    server.addReadinessCheck("throws", () => {
      throw new Error("boom");
    });
    server.addReadinessCheck("hangs", () => new Promise<boolean>(() => {}));
    server.addLivenessCheck("event-loop", () => "stalled");
    await server.start();
    const r = await get("127.0.0.1", server.port, "/readyz");
    expect(JSON.parse(r.body).checks).toEqual({ throws: "error: boom", hangs: "timed out after 100 ms" });
    const h = await get("127.0.0.1", server.port, "/healthz");
    expect(h.status).toBe(503);
    expect(JSON.parse(h.body).checks).toEqual({ "event-loop": "stalled" });
  });

  it("binds the address it is given and reports a taken port", async () => {
    server = new HealthServer({ port: 0, host: "127.0.0.1", registry: new Registry() });
    await server.start();
    expect(server.host).toBe("127.0.0.1");
    const clash = new HealthServer({ port: server.port, host: "127.0.0.1", registry: new Registry() });
    await expect(clash.start()).rejects.toThrow(/EADDRINUSE/);
  });
});
