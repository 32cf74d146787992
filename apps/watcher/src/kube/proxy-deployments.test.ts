// Our proxies' Deployments through the Kubernetes-mode watcher, against the test API server and
// a real nats-server: only Deployments with our proxy labels are listed and published, cut down
// to identity, labels and replica counts; status churn that changes no count publishes nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BucketStore, ensureBus, watchBucket, type BucketWatch } from "@gatehouse/bus";
import { ownerLabels, PROXY_OBJECTS_SELECTOR, type KubeObject } from "@gatehouse/kube";
import { waitFor } from "@gatehouse/testing";
import { key, KubeWatcherTestEnv } from "./kube-test-env";
import { proxyDeploymentSummary } from "./proxy-deployments";

const deployment = (name: string, labels?: Record<string, string>) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "default", labels, managedFields: [{ manager: "gatehouse" }] },
  spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "envoy", image: "envoyproxy/envoy" }] } } },
});

describe("proxy Deployments", () => {
  let env: KubeWatcherTestEnv;
  beforeAll(async () => {
    env = await KubeWatcherTestEnv.start();
  });
  afterEach(() => env.stopAll());
  afterAll(() => env?.close());

  it("cuts a Deployment down to its identity, labels and replica counts", () => {
    const full = { ...deployment("gatehouse-gw", { a: "b" }), status: { observedGeneration: 3, replicas: 2, readyReplicas: 1, updatedReplicas: 2, conditions: [{ type: "Available" }] } };
    full.metadata = { ...full.metadata, uid: "u1", resourceVersion: "42" } as typeof full.metadata;
    expect(proxyDeploymentSummary(full as unknown as KubeObject)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "gatehouse-gw", namespace: "default", uid: "u1", labels: { a: "b" } },
      status: { replicas: 2, readyReplicas: 1 },
    });
  });

  it("publishes only our labelled Deployments, cut down, without republishing status churn, and withdraws a deleted one", async () => {
    const { api, nc } = env;
    const ours = ownerLabels({ namespace: "default", name: "gw" });
    api.create(deployment("gatehouse-gw", ours));
    api.create(deployment("web", { app: "web" }));
    // Managed by us but owned by no Gateway (say, a Deployment of Gatehouse itself): not a proxy.
    api.create(deployment("gatehouse-translator", { "app.kubernetes.io/managed-by": "gatehouse" }));
    const gwKey = key("Deployment", "gatehouse-gw");
    await ensureBus(nc);
    const puts: unknown[] = [];
    const watch: BucketWatch = await watchBucket(nc, "resources", { onValue: (k, v) => void (k === gwKey && puts.push(v.object.status)), onDelete: () => {} });
    try {
      await env.start();
      await waitFor("our Deployment published", () => puts.length === 1);
      const resources = await BucketStore.open(nc, "resources");
      const published = (await resources.get(gwKey))!.value.object;
      expect(published.metadata).toEqual({ name: "gatehouse-gw", namespace: "default", uid: expect.any(String), labels: ours });
      expect(published).not.toHaveProperty("spec");
      expect(await env.has("resources", key("Deployment", "web"))).toBe(false);
      expect(await env.has("resources", key("Deployment", "gatehouse-translator"))).toBe(false);
      // Never every Deployment of the cluster: each list and watch of Deployments carries our selector.
      const requests = api.requests({ path: /deployments/ });
      expect(requests.length).toBeGreaterThan(0);
      for (const r of requests) expect(r.query.labelSelector).toBe(PROXY_OBJECTS_SELECTOR);

      const setStatus = (status: object) => api.update({ ...api.get("apps/v1", "Deployment", "default", "gatehouse-gw")!, status }, "status");
      setStatus({ observedGeneration: 1, replicas: 2, readyReplicas: 1, availableReplicas: 1 });
      await waitFor("available replica published", () => puts.length === 2);
      expect(puts[1]).toEqual({ replicas: 2, readyReplicas: 1, availableReplicas: 1 });
      // Churn the translator does not read (observedGeneration, conditions), then a count change.
      setStatus({ observedGeneration: 2, replicas: 2, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: "Progressing", status: "True" }] });
      setStatus({ observedGeneration: 2, replicas: 2, readyReplicas: 2, availableReplicas: 2 });
      await waitFor("second replica published", () => puts.length >= 3);
      await env.running[0].flushed();
      expect(puts.slice(2)).toEqual([{ replicas: 2, readyReplicas: 2, availableReplicas: 2 }]);

      api.delete("apps/v1", "Deployment", "default", "gatehouse-gw");
      await waitFor("deleted Deployment withdrawn", async () => !(await env.has("resources", gwKey)));
    } finally {
      await watch.stop();
    }
  });
});
