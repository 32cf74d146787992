import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { componentLogger, createLogger } from "./logger";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, stream };
}

describe("createLogger", () => {
  it("writes structured lines with the service and component, redacting secrets at any depth", async () => {
    const { lines, stream } = capture();
    const log = createLogger("xds-server", { destination: stream, level: "debug" });
    const cache = componentLogger(log, "xds-cache", { gateway: "infra/edge" });
    cache.info(
      {
        key: "Gateway.infra.edge",
        token: "t0p",
        nats: { password: "hunter2", user: "svc", creds: "-----BEGIN NATS USER JWT-----" },
        tls: { certificate: "PEM", privateKey: "-----BEGIN PRIVATE KEY-----", deeper: { apiKey: "abc" } },
        request: { headers: { authorization: "Bearer x" } },
      },
      "pushed",
    );
    cache.debug({ count: 3 }, "detail");
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({
      level: "info",
      service: "xds-server",
      component: "xds-cache",
      gateway: "infra/edge",
      msg: "pushed",
      key: "Gateway.infra.edge",
      token: "[redacted]",
      nats: { password: "[redacted]", user: "svc", creds: "[redacted]" },
      tls: { certificate: "PEM", privateKey: "[redacted]", deeper: { apiKey: "[redacted]" } },
      request: { headers: { authorization: "[redacted]" } },
    });
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|t0p|PRIVATE KEY|Bearer/);
    expect(lines[1]).toMatchObject({ level: "debug", count: 3 });
  });
});
