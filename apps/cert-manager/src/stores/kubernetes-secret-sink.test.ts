import { KubeClient } from "@gatehouse/kube-client";
import { KubeApiTestServer } from "@gatehouse/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KubernetesSecretSink, SecretMissingError } from "./kubernetes-secret-sink";

const NAME = "gatehouse-envoy-client-cert";

describe("KubernetesSecretSink", () => {
  let api: KubeApiTestServer;
  let client: KubeClient;

  beforeAll(async () => {
    api = await KubeApiTestServer.start();
    client = new KubeClient(api.kubeConfig(), { requestTimeoutMs: 5_000 });
  });
  afterAll(() => api?.stop());

  beforeEach(() => {
    api.clearFailures();
    for (const s of api.list("v1", "Secret")) api.delete("v1", "Secret", s.metadata.namespace!, s.metadata.name!);
    for (const namespace of ["gatehouse", "team-a"]) api.create({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: NAME, namespace, labels: { keep: "me" } } });
    api.resetRequestCounts();
  });

  const sink = (namespaces = ["gatehouse", "team-a"]) =>
    new KubernetesSecretSink({ client, name: NAME, namespaces, conflictBackoff: { initialMs: 5, maxMs: 20 } });
  const secret = (namespace: string) => api.get("v1", "Secret", namespace, NAME) as unknown as { data?: Record<string, string>; metadata: { labels?: Record<string, string> } };

  it("writes base64 data to the existing Secret in every namespace and reads it back", async () => {
    const s = sink();
    expect(await s.read()).toBeUndefined();
    await s.write({ "tls.crt": "cert\n", "tls.key": "key\n", "ca.crt": "ca\n" });
    for (const ns of ["gatehouse", "team-a"]) {
      expect(secret(ns).data).toEqual({ "tls.crt": "Y2VydAo=", "tls.key": "a2V5Cg==", "ca.crt": "Y2EK" });
      // The rest of the object (labels the watcher set) is kept.
      expect(secret(ns).metadata.labels).toEqual({ keep: "me" });
    }
    expect(await s.read()).toEqual({ "tls.crt": "cert\n", "tls.key": "key\n", "ca.crt": "ca\n" });
    // Every write is a PUT carrying the resourceVersion of a GET: never a blind overwrite.
    const puts = api.requests({ verb: "update" });
    expect(puts).toHaveLength(2);
    await s.write({ "tls.crt": "c2" });
    expect(await s.read()).toEqual({ "tls.crt": "c2" });
  });

  it("reads nothing while the copies disagree (a Gateway namespace's Secret just created empty)", async () => {
    await sink(["gatehouse"]).write({ "tls.crt": "c" });
    expect(await sink(["gatehouse"]).read()).toEqual({ "tls.crt": "c" });
    expect(await sink().read()).toBeUndefined();
  });

  it("retries a 409 Conflict with a fresh GET and gives up after its attempts", async () => {
    api.failNext(2, 409, { verb: "update" });
    await sink(["gatehouse"]).write({ "tls.crt": "c" });
    expect(secret("gatehouse").data).toEqual({ "tls.crt": "Yw==" });
    expect(api.countRequests({ verb: "update" })).toBe(3);
    expect(api.countRequests({ verb: "get" })).toBe(3);

    api.failNext(10, 409, { verb: "update" });
    await expect(new KubernetesSecretSink({ client, name: NAME, namespaces: ["gatehouse"], maxAttempts: 3, conflictBackoff: { initialMs: 1, maxMs: 1 } }).write({ a: "b" })).rejects.toMatchObject({ code: 409 });
  });

  it("a real stale resourceVersion is a conflict too, retried on the fresh object", async () => {
    // Another writer changes the Secret between this sink's GET and its PUT.
    let raced = false;
    const racing = new KubeClient(api.kubeConfig());
    const origReplace = racing.replace.bind(racing);
    racing.replace = async (r, obj) => {
      if (!raced) {
        raced = true;
        api.update({ ...api.get("v1", "Secret", "gatehouse", NAME)!, data: { other: "eA==" } });
      }
      return origReplace(r, obj);
    };
    await new KubernetesSecretSink({ client: racing, name: NAME, namespaces: ["gatehouse"], conflictBackoff: { initialMs: 1, maxMs: 1 } }).write({ mine: "y" });
    expect(secret("gatehouse").data).toEqual({ mine: "eQ==" });
    expect(api.countRequests({ verb: "update" })).toBe(2);
  });

  it("names a missing Secret instead of creating it", async () => {
    api.delete("v1", "Secret", "team-a", NAME);
    const err = await sink().read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretMissingError);
    expect((err as Error).message).toContain(`Secret team-a/${NAME} does not exist`);
    await expect(sink().write({ a: "b" })).rejects.toBeInstanceOf(SecretMissingError);
    expect(api.countRequests({ verb: "create" })).toBe(0);
  });
});
