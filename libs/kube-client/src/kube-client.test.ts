import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api } from "@kubernetes/client-node";
import { KubeApiTestServer } from "@gatehouse/testing";
import { isConflict, isNotFound, KubeApiError } from "./api-error";
import { KubeClient, MERGE_PATCH } from "./kube-client";
import type { ApiResourceRef } from "./api-resource";

const SERVICES: ApiResourceRef = { group: "", version: "v1", kind: "Service", plural: "services", namespaced: true };
const ROUTES: ApiResourceRef = { group: "gateway.networking.k8s.io", version: "v1", kind: "HTTPRoute", plural: "httproutes", namespaced: true };

let server: KubeApiTestServer;
let client: KubeClient;
beforeAll(async () => {
  server = await KubeApiTestServer.start();
  server.registerResource({ ...ROUTES, statusSubresource: true, custom: true });
  client = new KubeClient(server.kubeConfig());
});
afterAll(() => server.stop());

describe("@kubernetes/client-node on Node 20", () => {
  // undici 8 (client-node 2.0.1's dependency) throws at import on Node < 22.19; package.json
  // overrides it to ^7. This fails if the override is lost.
  it("imports and lists against the test API server", async () => {
    server.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "load" } });
    const list = await server.kubeConfig().makeApiClient(CoreV1Api).listNamespacedService({ namespace: "load" });
    expect(list.items.map((s) => s.metadata?.name)).toEqual(["web"]);
  });
});

describe("KubeClient", () => {
  it("lists core and custom resources as plain JSON with apiVersion/kind filled in", async () => {
    server.create({ apiVersion: "v1", kind: "Service", metadata: { name: "a", namespace: "plain", labels: { app: "x" } } });
    server.create({ apiVersion: ROUTES.group + "/v1", kind: "HTTPRoute", metadata: { name: "r", namespace: "plain" }, spec: {} });
    const svcs = await client.list(SERVICES, { namespace: "plain", labelSelector: "app=x" });
    expect(svcs.items).toEqual([expect.objectContaining({ apiVersion: "v1", kind: "Service", metadata: expect.objectContaining({ name: "a" }) })]);
    expect(typeof svcs.items[0].metadata.creationTimestamp).toBe("string");
    expect(svcs.resourceVersion).toBe(String(server.resourceVersion));
    const routes = await client.list(ROUTES, {});
    expect(routes.items.map((r) => `${r.metadata.namespace}/${r.metadata.name}`)).toContain("plain/r");
  });

  it("creates, replaces with a precondition, patches and deletes, with typed errors", async () => {
    const created = await client.create(SERVICES, { apiVersion: "v1", kind: "Service", metadata: { name: "c", namespace: "crud" }, spec: { ports: [{ port: 80 }] } });
    expect(created.metadata.uid).toBeDefined();
    const replaced = await client.replace(SERVICES, { ...created, spec: { ports: [{ port: 81 }] } });
    const stale = await client.replace(SERVICES, { ...created, spec: { ports: [{ port: 82 }] } }).catch((e: unknown) => e);
    expect(isConflict(stale)).toBe(true);
    expect((stale as KubeApiError).message).toMatch(/Conflict/);
    const patched = await client.patch(SERVICES, "crud", "c", { metadata: { labels: { p: "1" } } }, MERGE_PATCH);
    expect(patched.metadata.labels).toEqual({ p: "1" });
    expect(patched.metadata.resourceVersion).not.toBe(replaced.metadata.resourceVersion);
    await client.delete(SERVICES, "crud", "c");
    expect(isNotFound(await client.get(SERVICES, "crud", "c").catch((e: unknown) => e))).toBe(true);
  });
});
