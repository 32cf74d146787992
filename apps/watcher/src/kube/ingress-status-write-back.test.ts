// Ingress status write-back against the test API server (real client, real protocol) and a
// real nats-server: the leader writes the ingress-converter's records into Ingress status,
// replaces loadBalancer when the address changes, does not write what is unchanged, leaves
// other controllers' Ingresses alone, and the other replica never writes.
import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore, encodeKey, type StatusRecord } from "@gatehouse/bus";
import { kindInfo } from "@gatehouse/kube";
import { KubeClient, type ApiObject, type ApiResourceRef } from "@gatehouse/kube-client";
import { KubeApiTestServer, startNatsServer, waitFor, type NatsServerHandle } from "@gatehouse/testing";
import { KubeWatcherService } from "./kube-watcher-service";

const NET = "networking.k8s.io/v1";
const TIMING = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };

/** A client that counts status PUTs, to tell which replica wrote. */
class CountingClient extends KubeClient {
  statusPuts = 0;
  override replaceStatus<T extends ApiObject = ApiObject>(r: ApiResourceRef, obj: NoInfer<T>): Promise<T> {
    this.statusPuts++;
    return super.replaceStatus<T>(r, obj);
  }
}

describe("Ingress status write-back", () => {
  let api: KubeApiTestServer;
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  const running: KubeWatcherService[] = [];

  beforeAll(async () => {
    [api, nats] = await Promise.all([KubeApiTestServer.start({ bookmarkIntervalMs: 100 }), startNatsServer()]);
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await Promise.all(running.map((w) => w.close()));
    await nc?.close();
    await Promise.all([api?.stop(), nats?.stop()]);
  });

  const start = async () => {
    const client = new CountingClient(api.kubeConfig());
    const w = new KubeWatcherService({
      nc,
      client,
      logger: pino({ level: process.env.TEST_LOG ?? "silent" }),
      controllerName: "gatehouse.dev/gateway-controller",
      leaderElection: { namespace: "default", name: "ingress-status", ...TIMING },
      informerBackoff: { initialMs: 20, maxMs: 200 },
      kinds: [kindInfo("networking.k8s.io", "Ingress")!],
    });
    running.push(w);
    await w.start();
    return { w, client };
  };
  const ingress = (name: string, className: string) => ({
    apiVersion: NET,
    kind: "Ingress",
    metadata: { name, namespace: "shop" },
    spec: { ingressClassName: className, rules: [{ host: `${name}.example.com` }] },
  });
  const record = (name: string, loadBalancer: unknown): StatusRecord => ({ ref: { group: "networking.k8s.io", kind: "Ingress", namespace: "shop", name }, observedGeneration: 1, status: { loadBalancer } });
  const statusOf = (name: string) => api.get(NET, "Ingress", "shop", name)?.status as { loadBalancer?: unknown } | undefined;
  const puts = () => api.countRequests({ method: "PUT", subresource: "status", path: /\/ingresses\// });

  it("the leader writes each record, replaces loadBalancer on change, skips what is unchanged and never touches other Ingresses", async () => {
    api.create(ingress("web", "gatehouse"));
    // Another controller's Ingress, with the address that controller wrote.
    api.create(ingress("theirs", "nginx"));
    api.update({ ...api.get(NET, "Ingress", "shop", "theirs")!, status: { loadBalancer: { ingress: [{ ip: "198.51.100.1" }] } } }, "status");
    // Our Ingress carries a stale address from before.
    api.update({ ...api.get(NET, "Ingress", "shop", "web")!, status: { loadBalancer: { ingress: [{ hostname: "old.example.com" }, { ip: "198.51.100.9" }] } } }, "status");
    const a = await start();
    const b = await start();
    await waitFor("a leader", () => a.w.isLeader || b.w.isLeader);
    const [leader, other] = a.w.isLeader ? [a, b] : [b, a];
    api.resetRequestCounts();

    const store = await BucketStore.open(nc, "ingress-status");
    const key = encodeKey({ kind: "Ingress", namespace: "shop", name: "web" });
    await store.put(key, record("web", { ingress: [{ ip: "192.0.2.10" }, { hostname: "lb.example.com" }] }));
    await waitFor("the address written", () => JSON.stringify(statusOf("web")?.loadBalancer) === JSON.stringify({ ingress: [{ ip: "192.0.2.10" }, { hostname: "lb.example.com" }] }));
    expect(puts()).toBe(1);

    // A new address replaces the list whole.
    await store.put(key, record("web", { ingress: [{ ip: "192.0.2.20" }] }));
    await waitFor("the new address written", () => JSON.stringify(statusOf("web")?.loadBalancer) === JSON.stringify({ ingress: [{ ip: "192.0.2.20" }] }));
    expect(puts()).toBe(2);

    // The same record again, then a record for a second Ingress: once that one is written,
    // the repeat was handled (one writer, in order) and was not written.
    api.create(ingress("api", "gatehouse"));
    await store.put(key, record("web", { ingress: [{ ip: "192.0.2.20" }] }));
    await store.put(encodeKey({ kind: "Ingress", namespace: "shop", name: "api" }), record("api", {}));
    await waitFor("the second Ingress's status written", () => statusOf("api")?.loadBalancer !== undefined);
    expect(puts()).toBe(3);

    // The Gateway lost its address: loadBalancer is emptied, not merged.
    await store.put(key, record("web", {}));
    await waitFor("the address cleared", () => JSON.stringify(statusOf("web")?.loadBalancer) === "{}");

    expect(statusOf("theirs")).toEqual({ loadBalancer: { ingress: [{ ip: "198.51.100.1" }] } });
    expect(other.client.statusPuts).toBe(0);
    expect(leader.client.statusPuts).toBe(puts());
  });
});
