// The infrastructure applier through the whole watcher (informers, leader election, the
// applier) against the test API server and a real nats-server: a Gateway's objects are
// created by server-side apply, unchanged input is not applied again, a ProxyConfig change
// updates them and rolls the Deployment, a disabled HPA is deleted as an orphan found by
// label, a deleted Gateway's objects are garbage-collected, bad parameters apply nothing,
// and the client certificate Secret is created once and never overwritten.
import { readFileSync } from "node:fs";
import path from "node:path";
import { connect, type NatsConnection } from "nats";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { BucketStore, encodeKey } from "@gatehouse/bus";
import { CONFIG_DIGEST_ANNOTATION, ENVOY_CLIENT_CERT_SECRET } from "@gatehouse/infra";
import { proxyObjectName } from "@gatehouse/kube";
import { KubeClient, type ApiObject, type ApiResourceRef } from "@gatehouse/kube-client";
import { KubeApiTestServer, startNatsServer, waitFor, type KubeObject, type NatsServerHandle } from "@gatehouse/testing";
import { KubeWatcherService } from "../kube/kube-watcher-service";

const OURS = "gatehouse.dev/gateway-controller";
const GW = "gateway.networking.k8s.io";
const GWV1 = `${GW}/v1`;
const PC = "gateway.gatehouse.dev/v1alpha1";
// Long enough that a loaded machine never loses the Lease mid-test (a new leader re-applies
// everything, which the apply counts would see); the failover test waits out one lease.
const TIMING = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 200 };
const CLUSTER = parseAllDocuments(readFileSync(path.join(import.meta.dirname, "testdata", "cluster.yaml"), "utf8")).map((d) => d.toJS() as KubeObject);

type Obj = KubeObject & { spec?: Record<string, unknown> };

/** A client that counts its server-side applies, to tell which replica wrote. */
class CountingClient extends KubeClient {
  applies = 0;
  override patch<T extends ApiObject = ApiObject>(...args: [ApiResourceRef, string | undefined, string, unknown, string, { fieldManager?: string; force?: boolean; subresource?: "status" }?]): Promise<T> {
    this.applies++;
    return super.patch<T>(...args);
  }
}

describe("InfraApplier", () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let api: KubeApiTestServer;
  let watcher: KubeWatcherService | undefined;
  const log = pino({ level: process.env.TEST_LOG ?? "silent" });
  const edge = proxyObjectName("edge");

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  beforeEach(async () => {
    api = await KubeApiTestServer.start({ bookmarkIntervalMs: 100 });
    for (const [kind, plural, namespaced] of [["GatewayClass", "gatewayclasses", false], ["Gateway", "gateways", true]] as const) {
      api.registerResource({ group: GW, version: "v1", kind, plural, namespaced, statusSubresource: true, custom: true });
    }
    api.registerResource({ group: "gateway.gatehouse.dev", version: "v1alpha1", kind: "ProxyConfig", plural: "proxyconfigs", namespaced: true, custom: true });
    for (const obj of CLUSTER) api.create(obj);
  });
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    await api?.stop();
  });

  const extra: KubeWatcherService[] = [];
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((w) => w.close()));
  });

  function newWatcher(client: KubeClient = new KubeClient(api.kubeConfig())): KubeWatcherService {
    return new KubeWatcherService({
      nc,
      client,
      logger: log,
      controllerName: OURS,
      leaderElection: { namespace: "default", name: "watcher", ...TIMING },
      informerBackoff: { initialMs: 20, maxMs: 200 },
      watchTimeoutSeconds: () => 30,
      infrastructure: { controlPlaneNamespace: "gatehouse" },
    });
  }

  async function startWatcher(): Promise<void> {
    const w = (watcher = newWatcher());
    await w.start();
    await waitFor("leader", () => w.isLeader);
  }

  const get = (apiVersion: string, kind: string, name: string, ns = "apps") => api.get(apiVersion, kind, ns, name) as Obj | undefined;
  const deployment = (name = edge) => get("apps/v1", "Deployment", name);
  const patches = (plural: string) => api.countRequests({ method: "PATCH", path: new RegExp(`/${plural}/`) });
  const proxyConfig = (spec: Record<string, unknown>) => ({ ...get(PC, "ProxyConfig", "class-defaults", "gatehouse")!, spec });
  const gateway = (name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: GWV1,
    kind: "Gateway",
    metadata: { name, namespace: "apps" },
    spec: { gatewayClassName: "gatehouse", listeners: [{ name: "http", port: 8080, protocol: "HTTP" }], ...extra },
  });
  /** Waits until the watcher has seen this version of the object (published it: the applier was told in the same event). */
  async function seen(obj: KubeObject): Promise<void> {
    const resources = await BucketStore.open(nc, "resources");
    const key = encodeKey({ kind: String(obj.kind), namespace: obj.metadata.namespace ?? "", name: obj.metadata.name! });
    const want = JSON.stringify([obj.metadata.resourceVersion, obj.spec]);
    await waitFor(`${key} seen`, async () => {
      const got = (await resources.get(key))?.value.object;
      return got !== undefined && JSON.stringify([got.metadata.resourceVersion, got.spec]) === want;
    });
  }
  /** Waits for a Gateway applied after the changes before it: the applier works in order, so those are done. */
  async function barrier(name: string, gatewayClassName = "gatehouse"): Promise<void> {
    api.create(gateway(name, { gatewayClassName }));
    await waitFor(`${name} applied`, () => deployment(proxyObjectName(name)) !== undefined);
    await waitFor("applier idle", () => watcher!.infrastructureIdle);
  }

  it("applies a Gateway's ServiceAccount, ConfigMap, Deployment and Service by server-side apply, owned by the Gateway, and the empty client certificate Secret", async () => {
    await startWatcher();
    await waitFor("objects applied", () => get("v1", "Service", edge) !== undefined);
    const gw = get(GWV1, "Gateway", "edge")!;
    for (const [apiVersion, kind] of [["v1", "ServiceAccount"], ["v1", "ConfigMap"], ["apps/v1", "Deployment"], ["v1", "Service"]]) {
      const obj = get(apiVersion, kind, edge)!;
      expect(obj, kind).toBeDefined();
      expect(obj.metadata.ownerReferences).toEqual([{ apiVersion: GWV1, kind: "Gateway", name: "edge", uid: gw.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(obj.metadata.labels).toMatchObject({ "gatehouse.dev/owning-gateway-name": "edge", "gatehouse.dev/owning-gateway-namespace": "apps", "app.kubernetes.io/managed-by": "gatehouse" });
      expect((obj.metadata.managedFields as { manager: string; operation: string }[]).map((m) => `${m.manager}/${m.operation}`)).toEqual(["gatehouse/Apply"]);
    }
    const applies = api.requests({ method: "PATCH" });
    expect(applies.every((r) => r.query.fieldManager === "gatehouse" && r.query.force === "true")).toBe(true);
    expect(deployment()!.spec!.replicas).toBe(2);
    expect((get("v1", "Service", edge)!.spec as { ipFamilies: string[] }).ipFamilies).toEqual(["IPv4"]);
    // The bootstrap dials the xds-server of the control plane namespace.
    expect(JSON.stringify(get("v1", "ConfigMap", edge)!.data)).toContain("gatehouse-xds-server.gatehouse.svc");
    expect(api.list("autoscaling/v2", "HorizontalPodAutoscaler", "apps")).toEqual([]);

    const secret = get("v1", "Secret", ENVOY_CLIENT_CERT_SECRET)!;
    expect(secret.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "gatehouse" });
    expect(secret.data).toBeUndefined();
  });

  it("does not apply again when nothing it renders changed, and never overwrites the client certificate Secret", async () => {
    api.create({ apiVersion: "v1", kind: "Secret", metadata: { name: ENVOY_CLIENT_CERT_SECRET, namespace: "apps" }, type: "Opaque", data: { "tls.crt": "Y2VydA==" } });
    await startWatcher();
    await waitFor("objects applied", () => get("v1", "Service", edge) !== undefined);
    await waitFor("applier idle", () => watcher!.infrastructureIdle);
    const before = { deployments: patches("deployments"), configmaps: patches("configmaps"), services: patches("services") };
    expect(before).toEqual({ deployments: 1, configmaps: 1, services: 1 });

    // A status write and a label on the Gateway, and an unrelated ProxyConfig: nothing rendered changes.
    const gw = get(GWV1, "Gateway", "edge")!;
    api.update({ ...gw, status: { conditions: [{ type: "Accepted", status: "True", reason: "Accepted", message: "", lastTransitionTime: "2026-01-01T00:00:00Z" }] } }, "status");
    api.update({ ...get(GWV1, "Gateway", "edge")!, metadata: { ...get(GWV1, "Gateway", "edge")!.metadata, labels: { team: "a" } } });
    await seen(api.create({ apiVersion: PC, kind: "ProxyConfig", metadata: { name: "unrelated", namespace: "apps" }, spec: { deployment: { replicas: 9 } } }));
    await barrier("later");
    expect(api.countRequests({ method: "PATCH", path: `/apis/apps/v1/namespaces/apps/deployments/${edge}` })).toBe(1);
    expect(api.countRequests({ method: "PATCH", path: `/api/v1/namespaces/apps/configmaps/${edge}` })).toBe(1);
    expect(api.countRequests({ method: "PATCH", path: `/api/v1/namespaces/apps/services/${edge}` })).toBe(1);
    // The Secret existed: one create attempt per namespace, refused, and its data kept.
    expect(api.countRequests({ method: "POST", path: "/api/v1/namespaces/apps/secrets" })).toBe(1);
    expect(api.countRequests({ method: "PUT", path: /\/secrets\// }) + api.countRequests({ method: "PATCH", path: /\/secrets\// })).toBe(0);
    expect(get("v1", "Secret", ENVOY_CLIENT_CERT_SECRET)!.data).toEqual({ "tls.crt": "Y2VydA==" });
  });

  it("updates the objects when the ProxyConfig changes and rolls the Deployment; the cluster's IP families re-render the bootstrap", async () => {
    await startWatcher();
    await waitFor("objects applied", () => deployment() !== undefined);
    const template = JSON.stringify(deployment()!.spec!.template);

    api.update(proxyConfig({ deployment: { replicas: 3 }, envoy: { logLevel: "debug" } }));
    await waitFor("replicas updated", () => deployment()!.spec!.replicas === 3);
    const rolled = deployment()!.spec!.template as { spec: { containers: { args: string[] }[] } };
    expect(JSON.stringify(rolled)).not.toBe(template);
    expect(rolled.spec.containers[0].args.join(" ")).toContain("--log-level debug");

    // The cluster turns dual stack: the Service and the bootstrap follow, and the new bootstrap's digest rolls the pods.
    const digest = () => (deployment()!.spec!.template as { metadata: { annotations: Record<string, string> } }).metadata.annotations[CONFIG_DIGEST_ANNOTATION];
    const oldDigest = digest();
    const k8s = api.get("v1", "Service", "default", "kubernetes")!;
    api.update({ ...k8s, spec: { ...(k8s.spec as object), ipFamilies: ["IPv4", "IPv6"], ipFamilyPolicy: "PreferDualStack" } });
    await waitFor("dual-stack Service", () => (get("v1", "Service", edge)!.spec as { ipFamilies: string[] }).ipFamilies.length === 2);
    await waitFor("bootstrap digest changed", () => digest() !== oldDigest);
  });

  it("deletes the HPA, found by its owner labels, when autoscaling is turned off", async () => {
    api.update(proxyConfig({ autoscaling: { minReplicas: 2, maxReplicas: 5 } }));
    await startWatcher();
    await waitFor("HPA applied", () => get("autoscaling/v2", "HorizontalPodAutoscaler", edge) !== undefined);
    expect(deployment()!.spec!.replicas).toBeUndefined();

    api.resetRequestCounts();
    api.update(proxyConfig({ deployment: { replicas: 4 } }));
    await waitFor("HPA deleted", () => get("autoscaling/v2", "HorizontalPodAutoscaler", edge) === undefined);
    expect(deployment()!.spec!.replicas).toBe(4);
    expect(api.requests({ verb: "list", path: /horizontalpodautoscalers/ }).some((r) => r.query.labelSelector?.includes("gatehouse.dev/owning-gateway-name=edge"))).toBe(true);
    expect(api.countRequests({ method: "DELETE", path: `/apis/autoscaling/v2/namespaces/apps/horizontalpodautoscalers/${edge}` })).toBe(1);
    expect(deployment()).toBeDefined();
  });

  it("retries an apply the API server failed, and leaves a refused Gateway as it is until its input changes", async () => {
    api.failNext(2, 500, { verb: "patch", path: /deployments/ });
    await startWatcher();
    await waitFor("applied after the failures", () => deployment() !== undefined && get("v1", "Service", edge) !== undefined);
    expect(api.countRequests({ verb: "patch", path: /deployments/ })).toBe(3);

    // 422 (what an immutable field change gets): not retried in a loop, nothing deleted, the next change applies.
    api.failNext(1, 422, { verb: "patch", path: /deployments/ });
    await seen(api.update(proxyConfig({ deployment: { replicas: 3 } })));
    await waitFor("refused", () => api.countRequests({ verb: "patch", path: /deployments/ }) === 4);
    await barrier("later");
    expect(api.countRequests({ verb: "patch", path: /deployments\/gatehouse-edge/ })).toBe(4);
    expect(deployment()!.spec!.replicas).toBe(2);
    await seen(api.update(proxyConfig({ deployment: { replicas: 4 } })));
    await waitFor("applied once the input changed", () => deployment()!.spec!.replicas === 4);
  });

  it("leaves a deleted Gateway's objects to the garbage collector, and applies them again when it returns", async () => {
    await startWatcher();
    await waitFor("objects applied", () => get("v1", "Service", edge) !== undefined);
    api.delete(GWV1, "Gateway", "apps", "edge");
    await waitFor("objects collected", () => deployment() === undefined && get("v1", "Service", edge) === undefined && get("v1", "ConfigMap", edge) === undefined);
    expect(api.countRequests({ method: "DELETE" })).toBe(0);

    // Created again (a new uid): the applier has forgotten the old hashes and applies afresh.
    const again = api.create(gateway("edge"));
    await waitFor("applied again", () => deployment()?.metadata.ownerReferences?.[0]?.uid === again.metadata.uid);
  });

  it("applies nothing for a Gateway whose parameters are invalid, and keeps what runs when they turn invalid", async () => {
    api.create(gateway("broken", { infrastructure: { parametersRef: { group: "gateway.gatehouse.dev", kind: "ProxyConfig", name: "missing" } } }));
    await startWatcher();
    await waitFor("edge applied", () => deployment() !== undefined);
    await barrier("later");
    expect(deployment(proxyObjectName("broken"))).toBeUndefined();
    expect(api.countRequests({ method: "PATCH", path: new RegExp(proxyObjectName("broken")) })).toBe(0);

    // edge's class parameters turn invalid: its proxies stay as they are.
    api.create({ apiVersion: GWV1, kind: "GatewayClass", metadata: { name: "plain" }, spec: { controllerName: OURS } });
    api.resetRequestCounts();
    await seen(api.update(proxyConfig({ deployment: { replicas: -1 } })));
    await barrier("later-2", "plain");
    expect(deployment()!.spec!.replicas).toBe(2);
    expect(api.countRequests({ method: "PATCH", path: new RegExp(`/${edge}$`) })).toBe(0);
    expect(api.countRequests({ method: "DELETE" })).toBe(0);
  });

  it("after gaining leadership deletes proxy objects that no Gateway of ours renders", async () => {
    // Left by an earlier run for a Gateway that is no longer ours.
    api.create({ apiVersion: GWV1, kind: "GatewayClass", metadata: { name: "theirs" }, spec: { controllerName: "example.com/other" } });
    api.create(gateway("moved", { gatewayClassName: "theirs" }));
    const stale = proxyObjectName("moved");
    api.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: stale, namespace: "apps", labels: { "app.kubernetes.io/managed-by": "gatehouse", "app.kubernetes.io/component": "envoy-proxy", "gatehouse.dev/owning-gateway-name": "moved", "gatehouse.dev/owning-gateway-namespace": "apps" } },
      data: {},
    });
    api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "user-data", namespace: "apps", labels: { "app.kubernetes.io/managed-by": "helm" } }, data: {} });
    await startWatcher();
    await waitFor("stale ConfigMap deleted", () => get("v1", "ConfigMap", stale) === undefined);
    expect(get("v1", "ConfigMap", edge)).toBeDefined();
    expect(get("v1", "ConfigMap", "user-data")).toBeDefined();
  });

  it("applies from the leader only; the next leader applies everything once more, then only changes", async () => {
    const clients = [new CountingClient(api.kubeConfig()), new CountingClient(api.kubeConfig())];
    const [a, b] = clients.map((c) => newWatcher(c));
    extra.push(a, b);
    await Promise.all([a.start(), b.start()]);
    await waitFor("a leader", () => a.isLeader || b.isLeader);
    const [leader, follower] = a.isLeader ? [a, b] : [b, a];
    const [leaderClient, followerClient] = a.isLeader ? clients : [clients[1], clients[0]];
    await waitFor("objects applied", () => get("v1", "Service", edge) !== undefined);
    await waitFor("leader idle", () => leader.infrastructureIdle);
    expect(leaderClient.applies).toBe(4);
    expect(followerClient.applies).toBe(0);

    await leader.kill();
    extra.splice(extra.indexOf(leader), 1);
    await waitFor("new leader", () => follower.isLeader, 20_000);
    // Leadership gained: each object applied once (the new leader cannot know what the old one applied).
    await waitFor("re-applied", () => followerClient.applies === 4);
    await waitFor("follower idle", () => follower.infrastructureIdle);
    await seen(api.update(proxyConfig({ deployment: { replicas: 5 } })));
    await waitFor("change applied", () => deployment()!.spec!.replicas === 5);
    await waitFor("follower idle", () => follower.infrastructureIdle);
    expect(followerClient.applies).toBe(5);
  });
});
