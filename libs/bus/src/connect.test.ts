import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore } from "./bucket-store";
import { connectBus } from "./connect";
import { ensureBus } from "./declarations";
import { writeTlsFiles, type TlsFiles } from "./testdata/certs";

describe("connectBus", () => {
  let server: NatsServerHandle;
  let tls: TlsFiles;
  beforeAll(async () => {
    tls = writeTlsFiles();
    server = await startNatsServer({
      forceSpawn: true,
      extraConfig: `tls { cert_file: ${JSON.stringify(tls.serverCert)}, key_file: ${JSON.stringify(tls.serverKey)}, ca_file: ${JSON.stringify(tls.ca)}, verify: true, timeout: 2 }`,
    });
  });
  afterAll(async () => {
    await server?.stop();
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  });

  it("connects over mutual TLS with the service's certificate and uses the bus", async () => {
    const nc = await connectBus({
      servers: server.url,
      name: "translator",
      tls: { caFile: tls.ca, certFile: tls.clientCert, keyFile: tls.clientKey },
    });
    try {
      await ensureBus(nc);
      const store = await BucketStore.open(nc, "status");
      const rev = await store.put("Gateway.infra.edge", { ref: { group: "g", kind: "Gateway", namespace: "infra", name: "edge" }, observedGeneration: 1, status: {} });
      expect(rev).toBeGreaterThan(0);
    } finally {
      await nc.close();
    }
  });

  it("gives up after the first-connection deadline when the server refuses it (no client certificate)", async () => {
    const t0 = Date.now();
    await expect(connectBus({ servers: server.url, name: "intruder", tls: { caFile: tls.ca }, connectTimeoutMs: 1500 })).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
