import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore, consumeXdsEvents, encodeKey, ensureBus, gatewayBusKey, type XdsEvent } from "@gatehouse/bus";
import { resourceSetFrom, translate } from "@gatehouse/gatewayapi";
import { collectManifests } from "@gatehouse/kube";
import { baseManifests, httpRouteManifest, startNatsServer, XdsTestClient, type NatsServerHandle } from "@gatehouse/testing";
import { TYPE_URLS } from "@gatehouse/xds";
import { XdsService } from "./xds-service";

const MANIFESTS = [baseManifests({ className: "gc", controllerName: "example.com/c", service: "svc" }), httpRouteManifest({ name: "r", service: "svc" })].join("---\n");

const SLICE = {
  metadata: { name: "svc-1", namespace: "default", labels: { "kubernetes.io/service-name": "svc" } },
  addressType: "IPv4",
  ports: [{ name: "http", port: 9000 }],
  endpoints: [{ addresses: ["10.1.2.3"], conditions: { ready: true } }],
};

describe("XdsService", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let xds: XdsService;
  let client: XdsTestClient | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureBus(nc);
  });
  afterAll(async () => {
    client?.close();
    await xds?.close();
    await nc?.close();
    await server?.stop();
  });

  it("serves the IR and endpoints of the bus, removes a deleted Gateway and publishes ACK/NACK events", async () => {
    const [ir] = translate(resourceSetFrom(collectManifests([{ source: "test", text: MANIFESTS }]).objects), { controllerName: "example.com/c" }).irs;
    const irStore = await BucketStore.open(nc, "ir");
    await irStore.put(gatewayBusKey(ir.gateway), ir);
    await (await BucketStore.open(nc, "endpoints")).put(encodeKey({ kind: "EndpointSlice", namespace: "default", name: "svc-1" }), SLICE);

    xds = new XdsService({ nc, logger: pino({ level: "silent" }), port: 0, host: "127.0.0.1", defaultFamily: "IPv4" });
    await xds.start();
    expect(xds.ready).toBe(true);

    const events: XdsEvent[] = [];
    const consumer = await consumeXdsEvents(nc, (e) => void events.push(e));
    client = XdsTestClient.connect(`127.0.0.1:${xds.port}`, { id: "envoy-1", cluster: "default/eg" }, {
      protocol: "delta",
      reject: (r) => (r.typeUrl === TYPE_URLS.route ? "test rejects routes" : undefined),
    });
    client.subscribe(TYPE_URLS.cluster);
    client.subscribe(TYPE_URLS.endpoint, ["*"]);
    client.subscribe(TYPE_URLS.listener);
    client.subscribe(TYPE_URLS.route, ["*"]);
    await client.waitFor((c) => c.of(TYPE_URLS.listener).size === 1 && c.of(TYPE_URLS.cluster).size === 1, 10_000, "listener and cluster");
    await client.waitFor((c) => c.of(TYPE_URLS.endpoint).size === 1, 10_000, "endpoints");
    expect(JSON.stringify(client.decoded(TYPE_URLS.endpoint, [...client.of(TYPE_URLS.endpoint).keys()][0]))).toContain("10.1.2.3");

    await waitFor(() => events.some((e) => e.kind === "NACK" && e.errorDetail.includes("test rejects routes"))).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify(events.map((e) => [e.kind, e.typeUrl, e.errorDetail]))} ${client!.stats.nacks}`);
    });
    expect(events.some((e) => e.kind === "CONNECTED" && e.gatewayKey === "default/eg" && e.nodeId === "envoy-1")).toBe(true);
    expect(events.some((e) => e.kind === "ACK" && e.typeUrl === TYPE_URLS.listener)).toBe(true);

    await irStore.delete(gatewayBusKey(ir.gateway));
    await client.waitFor((c) => c.of(TYPE_URLS.listener).size === 0 && c.of(TYPE_URLS.cluster).size === 0, 10_000, "Gateway removed");
    expect(xds.cache.hasGroup("default/eg")).toBe(false);
    await consumer.stop();
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
