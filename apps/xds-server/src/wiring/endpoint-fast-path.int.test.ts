// The fast path end to end: a real nats-server, the `endpoints` bucket written the way the
// watcher writes it, the real ADS server over gRPC, and Delta protocol test clients.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "nats";
import pino from "pino";
import { Registry } from "prom-client";
import type { Cluster, IPFamily } from "@gatehouse/ir";
import { BucketStore, ensureBus, encodeKey, type EndpointSliceInput } from "@gatehouse/bus";
import { gatewayIR, startNatsServer, XdsTestClient, type NatsServerHandle } from "@gatehouse/testing";
import { AdsServer, listenAds, ResourceCache, type RunningTransport } from "@gatehouse/ads";
import { startEndpointFastPath, type EndpointFastPathHandle } from "@gatehouse/endpoints";
import { messageType, TYPE_URLS } from "@gatehouse/xds";
import { freePort, metricSum, scrapeMetrics, spawnEntryPoint, terminate, waitReady } from "@gatehouse/runtime";

const EDS = TYPE_URLS.endpoint;
const CLA = messageType(EDS);

function cluster(name: string, service: string): Cluster {
  return { name, service: { namespace: "shop", name: service, port: 80, portName: "http" }, protocol: "http1", connectTimeoutMs: 5_000 };
}

function slice(name: string, service: string, addressType: "IPv4" | "IPv6", endpoints: Array<[ip: string, pod: string, terminating?: boolean]>): EndpointSliceInput {
  return {
    metadata: { namespace: "shop", name, labels: { "kubernetes.io/service-name": service } },
    addressType,
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
    endpoints: endpoints.map(([ip, pod, terminating]) => ({
      addresses: [ip],
      conditions: { ready: !terminating, serving: true, terminating: !!terminating },
      targetRef: { kind: "Pod", name: pod },
    })),
  };
}

const key = (name: string) => encodeKey({ kind: "EndpointSlice", namespace: "shop", name });

/** "address:port/HEALTH" of a client's applied assignment (undefined: none yet). */
function view(client: XdsTestClient, name: string): string[] | undefined {
  const r = client.of(EDS).get(name);
  if (!r) return undefined;
  const cla = CLA.toObject(CLA.decode(r.bytes), { enums: String }) as {
    endpoints?: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: { address: string; port_value: number } } }; health_status: string }> }>;
  };
  return (cla.endpoints ?? []).flatMap((l) => l.lb_endpoints.map((e) => `${e.endpoint.address.socket_address.address}:${e.endpoint.address.socket_address.port_value}/${e.health_status}`));
}

/** Names carried by each EDS response a client received so far. */
function edsPushes(client: XdsTestClient): string[][] {
  return client.responsesOf(EDS).map((r) => r.resources.map((x) => x.name).sort());
}

describe("endpoint fast path (NATS → xds-server → Delta clients)", () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let store: BucketStore<"endpoints">;
  let cache: ResourceCache;
  let transport: RunningTransport;
  let fast: EndpointFastPathHandle;
  // The real translator, as its own process (as deployed), to show it never sees an endpoint event.
  let translator: ChildProcess;
  let translatorHealthPort: number;
  let translatorBefore: { translations: number; changes: number };
  const clients: XdsTestClient[] = [];

  /** Translations run and object changes received by the translator (from its /metrics). */
  const translatorCounts = async () => {
    const text = await scrapeMetrics(translatorHealthPort);
    return { translations: metricSum(text, "gatehouse_translator_translation_seconds_count"), changes: metricSum(text, "gatehouse_translator_changes_total") };
  };

  const client = (id: string, group: string, names: string[]) => {
    const c = XdsTestClient.connect(`localhost:${transport.port}`, { id, cluster: group }, { protocol: "delta" });
    c.subscribe(EDS, names);
    clients.push(c);
    return c;
  };

  const gateway = (group: string, clusters: Cluster[], ipFamily?: IPFamily) =>
    fast.setGateway(
      gatewayIR({ gateway: { namespace: group.split("/")[0], name: group.split("/")[1] }, ...(ipFamily ? { ipFamily } : {}), clusters }),
    );

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await ensureBus(nc);
    store = await BucketStore.open(nc, "endpoints");
    // State present before the xds-server starts is replayed.
    await store.put(key("web-1"), slice("web-1", "web", "IPv4", [["10.0.0.1", "web-a"], ["10.0.0.2", "web-b"]]));
    cache = new ResourceCache();
    const logger = pino({ level: process.env.LOG_LEVEL ?? "silent" });
    const registry = new Registry();
    const ads = new AdsServer({ cache, logger, registry });
    transport = await listenAds(ads, { port: 0 });
    fast = await startEndpointFastPath({ nc, cache, logger, registry, windowMs: 5 });
    await fast.ready;
    translatorHealthPort = await freePort();
    const args = ["--nats", nats.url, "--health-port", String(translatorHealthPort), "--controller-name", "gatehouse.dev/gateway-controller"];
    translator = spawnEntryPoint("apps/translator/src/main.ts", args, { LOG_LEVEL: "warn", NATS_URL: "" }, process.stderr);
    await waitReady(translatorHealthPort, 60_000);
    translatorBefore = await translatorCounts();
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    if (translator) await terminate(translator, 10_000);
    await fast?.stop();
    await transport?.shutdown(100);
    await nc?.close();
    await nats?.stop();
  });

  it("pushes an EndpointSlice change as exactly the affected assignments, only to subscribed proxies", async () => {
    gateway("shop/gw-a", [cluster("web", "web"), cluster("api", "api")]);
    gateway("shop/gw-b", [cluster("web", "web")]);
    const a = client("a", "shop/gw-a", ["web", "api"]);
    const b = client("b", "shop/gw-b", ["web"]);
    const apiOnly = client("c", "shop/gw-a", ["api"]);
    await a.waitFor((c) => view(c, "web")?.length === 2 && view(c, "api") !== undefined, 5_000, "initial assignments");
    await b.waitFor((c) => view(c, "web")?.length === 2, 5_000, "initial web");
    await apiOnly.waitFor((c) => view(c, "api") !== undefined, 5_000, "initial api");
    expect(view(a, "web")).toEqual(["10.0.0.1:8080/HEALTHY", "10.0.0.2:8080/HEALTHY"]);
    expect(view(a, "api")).toEqual([]);
    const before = { a: edsPushes(a).length, b: edsPushes(b).length };

    // Pod web-b starts terminating while a new pod joins in a second slice.
    await store.put(key("web-1"), slice("web-1", "web", "IPv4", [["10.0.0.1", "web-a"], ["10.0.0.2", "web-b", true]]));
    await store.put(key("web-2"), slice("web-2", "web", "IPv4", [["10.0.0.3", "web-c"]]));
    const want = ["10.0.0.1:8080/HEALTHY", "10.0.0.2:8080/DRAINING", "10.0.0.3:8080/HEALTHY"];
    await a.waitFor((c) => view(c, "web")?.join() === want.join(), 5_000, "web update on a");
    await b.waitFor((c) => view(c, "web")?.join() === want.join(), 5_000, "web update on b");
    // Every push after the change carried web and nothing else (api did not change).
    expect(edsPushes(a).slice(before.a).every((names) => names.join() === "web")).toBe(true);
    expect(edsPushes(b).slice(before.b).every((names) => names.join() === "web")).toBe(true);

    // A change to api reaches the api-only proxy; it never saw web.
    await store.put(key("api-1"), slice("api-1", "api", "IPv4", [["10.0.1.1", "api-a"]]));
    await apiOnly.waitFor((c) => view(c, "api")?.join() === "10.0.1.1:8080/HEALTHY", 5_000, "api update");
    expect(edsPushes(apiOnly).flat().every((n) => n === "api")).toBe(true);
    expect(edsPushes(b).flat().every((n) => n === "web")).toBe(true);

    // Deleting a slice removes its endpoints.
    await store.delete(key("web-2"));
    await a.waitFor((c) => view(c, "web")?.length === 2, 5_000, "slice deletion");
    expect(view(a, "web")).toEqual(["10.0.0.1:8080/HEALTHY", "10.0.0.2:8080/DRAINING"]);
  });

  it("is the only consumer of the endpoints bucket (the translator never reads it)", async () => {
    const jsm = await nc.jetstreamManager();
    const consumers = await jsm.consumers.list("KV_endpoints").next();
    expect(consumers).toHaveLength(1);
    // Endpoint writes never touch the buckets the translator reads.
    for (const bucket of ["KV_resources", "KV_derived"]) {
      expect((await jsm.streams.info(bucket)).state.messages).toBe(0);
    }
  });

  it("gives IPv4, IPv6 and DualStack proxies the endpoints of their family", async () => {
    await store.put(key("dual-v4"), slice("dual-v4", "dual", "IPv4", [["10.0.2.1", "dual-a"], ["10.0.2.2", "dual-b"]]));
    await store.put(key("dual-v6"), slice("dual-v6", "dual", "IPv6", [["fd00::2:1", "dual-a"], ["fd00::2:2", "dual-b"], ["fd00::2:3", "dual-c"]]));
    gateway("shop/v4", [cluster("dual", "dual")], "IPv4");
    gateway("shop/v6", [cluster("dual", "dual")], "IPv6");
    gateway("shop/ds", [cluster("dual", "dual")], "DualStack");
    const v4 = client("v4", "shop/v4", ["dual"]);
    const v6 = client("v6", "shop/v6", ["dual"]);
    const ds = client("ds", "shop/ds", ["dual"]);
    await v4.waitFor((c) => view(c, "dual")?.length === 2, 5_000, "IPv4 proxy");
    await v6.waitFor((c) => view(c, "dual")?.length === 3, 5_000, "IPv6 proxy");
    await ds.waitFor((c) => view(c, "dual")?.length === 3, 5_000, "DualStack proxy");
    expect(view(v4, "dual")).toEqual(["10.0.2.1:8080/HEALTHY", "10.0.2.2:8080/HEALTHY"]);
    expect(view(v6, "dual")).toEqual(["fd00::2:1:8080/HEALTHY", "fd00::2:2:8080/HEALTHY", "fd00::2:3:8080/HEALTHY"]);
    // One entry per pod: IPv4 where the pod has it, IPv6 for the IPv6-only pod.
    expect(view(ds, "dual")).toEqual(["10.0.2.1:8080/HEALTHY", "10.0.2.2:8080/HEALTHY", "fd00::2:3:8080/HEALTHY"]);

    // An IPv6-only change reaches the IPv6 and DualStack proxies; the IPv4 one gets nothing.
    const v4Pushes = edsPushes(v4).length;
    await store.put(key("dual-v6"), slice("dual-v6", "dual", "IPv6", [["fd00::2:1", "dual-a"], ["fd00::2:2", "dual-b"], ["fd00::2:3", "dual-c", true]]));
    await v6.waitFor((c) => view(c, "dual")?.includes("fd00::2:3:8080/DRAINING") ?? false, 5_000, "IPv6 drain");
    await ds.waitFor((c) => view(c, "dual")?.includes("fd00::2:3:8080/DRAINING") ?? false, 5_000, "DualStack drain");
    await store.put(key("dual-v4"), slice("dual-v4", "dual", "IPv4", [["10.0.2.1", "dual-a"]]));
    await v4.waitFor((c) => view(c, "dual")?.length === 1, 5_000, "IPv4 change");
    expect(edsPushes(v4).length).toBe(v4Pushes + 1);
  });

  it("never makes the translator translate or even hear of an endpoint change", async () => {
    // Runs last: after every test above published and deleted slices.
    expect(await translatorCounts()).toEqual(translatorBefore);
    // The counter is live: a resource (what the translator does read) moves it.
    const resources = await BucketStore.open(nc, "resources");
    const service = { apiVersion: "v1", kind: "Service", metadata: { namespace: "shop", name: "web" }, spec: { ports: [{ name: "http", port: 80 }] } };
    await resources.put(encodeKey({ kind: "Service", namespace: "shop", name: "web" }), { object: service, source: "test" });
    const deadline = Date.now() + 5_000;
    while ((await translatorCounts()).changes === translatorBefore.changes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // Exactly one change: the Service, and none of the endpoint events published before it.
    expect((await translatorCounts()).changes).toBe(translatorBefore.changes + 1);
  });
});
