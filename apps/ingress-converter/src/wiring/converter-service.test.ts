import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore, encodeKey, ensureBus, type KubeObject, type StatusRecord } from "@gatehouse/bus";
import { startNatsServer, waitFor, type NatsServerHandle } from "@gatehouse/testing";
import { IngressConverterService } from "./converter-service";

const ingressClass: KubeObject = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "gatehouse" }, spec: { controller: "gatehouse.dev/ingress-controller" } };
const service: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { namespace: "shop", name: "web" }, spec: { ports: [{ name: "http", port: 8080 }] } };
const ingress = (name: string, host: string, path: string, created: string): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { namespace: "shop", name, creationTimestamp: created },
  spec: { ingressClassName: "gatehouse", rules: [{ host, http: { paths: [{ path, pathType: "Prefix", backend: { service: { name: "web", port: { name: "http" } } } }] } }] },
});
const keyOf = (o: { kind: string; metadata: { namespace?: string; name: string } }) => encodeKey({ kind: o.kind, namespace: o.metadata.namespace ?? "", name: o.metadata.name });
const ROUTE_A = encodeKey({ kind: "HTTPRoute", namespace: "shop", name: "a" });
const ROUTE_B = encodeKey({ kind: "HTTPRoute", namespace: "shop", name: "b" });
const GATEWAY = encodeKey({ kind: "Gateway", namespace: "gatehouse-system", name: "gatehouse" });
const GATEWAY_CLASS = encodeKey({ kind: "GatewayClass", namespace: "", name: "gatehouse" });

/** One nats-server with its buckets per describe block, and the converter under test (closed at the end). */
function busFixture() {
  const env = {} as {
    nc: NatsConnection;
    resources: BucketStore<"resources">;
    derived: BucketStore<"derived">;
    status: BucketStore<"status">;
    ingressStatus: BucketStore<"ingress-status">;
    converter?: IngressConverterService;
    put(o: KubeObject): Promise<unknown>;
    start(): Promise<void>;
  };
  let server: NatsServerHandle | undefined;
  beforeAll(async () => {
    server = await startNatsServer();
    env.nc = await connect({ servers: server.url });
    await ensureBus(env.nc);
    env.resources = await BucketStore.open(env.nc, "resources");
    env.derived = await BucketStore.open(env.nc, "derived");
    env.status = await BucketStore.open(env.nc, "status");
    env.ingressStatus = await BucketStore.open(env.nc, "ingress-status");
  });
  afterAll(async () => {
    await env.converter?.close();
    await env.nc?.close();
    await server?.stop();
  });
  env.put = (o) => env.resources.put(keyOf(o), { object: o, source: "test" });
  env.start = async () => {
    env.converter = new IngressConverterService({ nc: env.nc, logger: pino({ level: "silent" }), convert: {} });
    await env.converter.start();
  };
  return env;
}

describe("IngressConverterService", () => {
  const env = busFixture();
  const put = (o: KubeObject) => env.put(o);
  const start = () => env.start();
  const revision = async (key: string) => (await env.derived.kv.get(key))?.revision;
  const routePath = async (key: string) => {
    const got = await env.derived.get(key);
    return (got?.value.object.spec as { rules: { matches: { path: { value: string } }[] }[] } | undefined)?.rules[0].matches[0].path.value;
  };

  it("publishes the replay's conversion, then follows edits and deletions, writing only what changed", async () => {
    for (const o of [ingressClass, service, ingress("a", "a.example.com", "/one", "2024-01-01T00:00:00Z")]) await put(o);
    await start();
    expect(env.converter!.ready).toBe(true);
    expect(await routePath(ROUTE_A)).toBe("/one");
    const gatewayRevision = await revision(GATEWAY);
    expect(gatewayRevision).toBeGreaterThan(0);
    expect((await env.derived.get(ROUTE_A))?.value.source).toBe("ingress-converter");

    // An edit rewrites the route, not the Gateway.
    await put(ingress("a", "a.example.com", "/two", "2024-01-01T00:00:00Z"));
    await waitFor("the edited route", async () => (await routePath(ROUTE_A)) === "/two");
    expect(await revision(GATEWAY)).toBe(gatewayRevision);

    // A second Ingress adds its route; deleting the first removes only its route.
    await put(ingress("b", "b.example.com", "/bee", "2024-02-01T00:00:00Z"));
    await waitFor("the second route", async () => (await routePath(ROUTE_B)) === "/bee");
    await env.resources.delete(keyOf(ingress("a", "", "", "")));
    await waitFor("the first route gone", async () => (await env.derived.get(ROUTE_A)) === undefined);
    expect(await routePath(ROUTE_B)).toBe("/bee");
    expect(await revision(GATEWAY)).toBe(gatewayRevision);

    // A named port follows its Service.
    await put({ ...service, spec: { ports: [{ name: "http", port: 9090 }] } });
    await waitFor("the route on the new port", async () => {
      const port = ((await env.derived.get(ROUTE_B))?.value.object.spec as { rules: { backendRefs: { port: number }[] }[] }).rules[0].backendRefs[0].port;
      return port === 9090;
    });
  });

  it("after a restart rewrites nothing that is unchanged and removes what vanished while it was down", async () => {
    await env.converter!.close();
    env.converter = undefined;
    const before = { route: await revision(ROUTE_B), gateway: await revision(GATEWAY), gatewayClass: await revision(GATEWAY_CLASS) };
    await start();
    expect({ route: await revision(ROUTE_B), gateway: await revision(GATEWAY), gatewayClass: await revision(GATEWAY_CLASS) }).toEqual(before);
    // While it is down, the last Ingress goes: everything it generated must go with it.
    await env.converter!.close();
    env.converter = undefined;
    await env.resources.delete(keyOf(ingress("b", "", "", "")));
    await start();
    for (const key of [ROUTE_B, GATEWAY, GATEWAY_CLASS]) expect(await env.derived.get(key), key).toBeUndefined();
  });
});

describe("IngressConverterService: Ingress status", () => {
  const env = busFixture();
  const put = (o: KubeObject) => env.put(o);
  const gatewayStatus = (addresses: { type?: string; value: string }[]): StatusRecord => ({
    ref: { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "gatehouse-system", name: "gatehouse" },
    observedGeneration: 1,
    status: { addresses, conditions: [{ type: "Programmed", status: "True", reason: "Programmed", message: "", observedGeneration: 1, lastTransitionTime: "2026-01-01T00:00:00Z" }] },
  });
  const loadBalancerOf = async (name: string) => ((await env.ingressStatus.get(encodeKey({ kind: "Ingress", namespace: "shop", name })))?.value.status as { loadBalancer: unknown } | undefined)?.loadBalancer;
  const ingressStatusRevision = async (name: string) => (await env.ingressStatus.kv.get(encodeKey({ kind: "Ingress", namespace: "shop", name })))?.revision;

  it("publishes each Ingress of our controller with its Gateway's addresses, follows address changes and deletions", async () => {
    const theirClass: KubeObject = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } };
    const theirs: KubeObject = { ...ingress("theirs", "t.example.com", "/", "2024-01-01T00:00:00Z"), spec: { ingressClassName: "nginx", rules: [] } };
    for (const o of [ingressClass, theirClass, service, ingress("a", "a.example.com", "/", "2024-01-01T00:00:00Z"), ingress("b", "b.example.com", "/", "2024-01-02T00:00:00Z"), theirs]) await put(o);
    await env.status.put(encodeKey(gatewayStatus([]).ref), gatewayStatus([{ type: "IPAddress", value: "192.0.2.10" }, { type: "Hostname", value: "lb.example.com" }]));
    await env.start();
    const want = { ingress: [{ ip: "192.0.2.10" }, { hostname: "lb.example.com" }] };
    expect(await loadBalancerOf("a")).toEqual(want);
    expect(await loadBalancerOf("b")).toEqual(want);
    expect((await env.ingressStatus.get(encodeKey({ kind: "Ingress", namespace: "shop", name: "a" })))?.value.ref).toEqual({ group: "networking.k8s.io", kind: "Ingress", namespace: "shop", name: "a" });
    // Another controller's Ingress is never given a env.status.
    expect(await loadBalancerOf("theirs")).toBeUndefined();

    // The Gateway's address changes: every Ingress on it follows.
    await env.status.put(encodeKey(gatewayStatus([]).ref), gatewayStatus([{ type: "IPAddress", value: "192.0.2.20" }]));
    await waitFor("the new address on both Ingresses", async () => {
      const [a, b] = [await loadBalancerOf("a"), await loadBalancerOf("b")];
      return JSON.stringify([a, b]) === JSON.stringify([{ ingress: [{ ip: "192.0.2.20" }] }, { ingress: [{ ip: "192.0.2.20" }] }]);
    });

    // An edit of one Ingress's path rewrites neither status (they did not change).
    const before = { a: await ingressStatusRevision("a"), b: await ingressStatusRevision("b") };
    await put(ingress("a", "a.example.com", "/moved", "2024-01-01T00:00:00Z"));
    await waitFor("the edit converted", async () => (await derivedPath("a")) === "/moved");
    await env.converter!.idle();
    expect({ a: await ingressStatusRevision("a"), b: await ingressStatusRevision("b") }).toEqual(before);

    // The Ingress goes: its status record goes. The Gateway loses its address: an empty loadBalancer.
    await env.resources.delete(keyOf(ingress("a", "", "", "")));
    await waitFor("the deleted Ingress's status gone", async () => (await loadBalancerOf("a")) === undefined);
    await env.status.delete(encodeKey(gatewayStatus([]).ref));
    await waitFor("an empty loadBalancer", async () => JSON.stringify(await loadBalancerOf("b")) === "{}");

    // Moving to another controller's class withdraws the record.
    await put({ ...ingress("b", "b.example.com", "/", "2024-01-02T00:00:00Z"), spec: { ...(ingress("b", "b.example.com", "/", "").spec as object), ingressClassName: "nginx" } });
    await waitFor("the record withdrawn", async () => (await loadBalancerOf("b")) === undefined);
  });

  const derivedPath = async (name: string) => {
    const got = await env.derived.get(encodeKey({ kind: "HTTPRoute", namespace: "shop", name }));
    return (got?.value.object.spec as { rules: { matches: { path: { value: string } }[] }[] } | undefined)?.rules[0].matches[0].path.value;
  };
});
