// `gatehouse explain --nats`: the configuration of a running Gatehouse, read from the bus
// (the translator's IR in `ir`, the watcher's EndpointSlices in `endpoints`).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureRun } from "../testdata/capture-run";
import type { NatsConnection } from "nats";
import { BucketStore, connectBus, encodeKey, ensureBus, gatewayBusKey } from "@gatehouse/bus";
import { resourceSetFrom, DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import { collectManifests } from "@gatehouse/kube";
import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import { translateAndCheck } from "@gatehouse/xds";
import { quietLogger } from "../command-line";
import { run } from "./explain";

let server: NatsServerHandle;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectBus({ servers: server.url, name: "explain-live-test", logger: quietLogger() });
  await ensureBus(nc);
  // Plain HTTP only: the TLS listener of the fixture needs a certificate this test does not make.
  const text = readFileSync(new URL("./testdata/explain.yaml", import.meta.url), "utf8");
  const resources = resourceSetFrom(collectManifests([{ source: "explain.yaml", text }]).objects);
  // As the translator publishes them: each IR carries its IP family.
  const { irs } = translateAndCheck(resources, { controllerName: DEFAULT_CONTROLLER_NAME, ipFamily: "DualStack" });
  const irStore = await BucketStore.open(nc, "ir");
  for (const ir of irs.values()) await irStore.put(gatewayBusKey(ir.gateway), ir);
  const endpoints = await BucketStore.open(nc, "endpoints");
  for (const slices of resources.slicesByService.values()) {
    for (const slice of slices as { metadata: { namespace: string; name: string } }[]) {
      await endpoints.put(encodeKey({ kind: "EndpointSlice", namespace: slice.metadata.namespace, name: slice.metadata.name }), slice as never);
    }
  }
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

describe("gatehouse explain against a running Gatehouse", () => {
  it("reads the Gateway's IR and endpoints from the bus and walks the request", async () => {
    const { code, out } = await captureRun(run, ["--nats", server.url, "http://shop.example.com:8080/cart/checkout", "-o", "json"]);
    expect(code).toBe(0);
    const e = JSON.parse(out) as { source: string; ipFamily: string; origin: unknown; outcome: { backends: { cluster: string; endpoints: unknown[] }[] } };
    expect(e.source).toBe(`the bus at ${server.url}`);
    expect(e.ipFamily).toBe("DualStack");
    expect(e.origin).toEqual({ kind: "HTTPRoute", namespace: "default", name: "shop", rule: 1, match: 0 });
    expect(e.outcome.backends).toEqual([
      { cluster: "default/checkout/80/http1", weight: 1, percent: 100, endpoints: [{ address: "10.0.0.2:8080", health: "HEALTHY" }] },
    ]);
  }, 30_000);
});
