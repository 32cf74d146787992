import { KubeClient } from "@gatehouse/kube-client";
import { KubeApiTestServer } from "@gatehouse/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KubernetesSecretSink } from "./kubernetes-secret-sink";
import { SecretMissingError } from "./secret-sink";

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

  it("fills a Gateway namespace's Secret created empty with the data the others hold, rewriting none of them", async () => {
    await sink(["gatehouse"]).write({ "tls.crt": "c" });
    const s = sink();
    expect(await s.read()).toEqual({ "tls.crt": "c" });
    api.resetRequestCounts();
    await s.write({ "tls.crt": "c" });
    expect(api.requests({ verb: "update" }).map((r) => r.path)).toEqual([`/api/v1/namespaces/team-a/secrets/${NAME}`]);
    expect(secret("team-a").data).toEqual({ "tls.crt": "Yw==" });
    // Everything in line: a write of the same data is no request at all.
    api.resetRequestCounts();
    await s.write({ "tls.crt": "c" });
    expect(api.countRequests({})).toBe(0);
  });

  it("follows a changing set of namespaces", async () => {
    api.create({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: NAME, namespace: "team-b" } });
    const s = sink(["gatehouse"]);
    await s.write({ "tls.crt": "c" });
    s.setNamespaces(["gatehouse", "team-b"]);
    expect(s.description).toBe(`Secret ${NAME} in gatehouse, team-b`);
    expect(await s.read()).toEqual({ "tls.crt": "c" });
    await s.write({ "tls.crt": "c" });
    expect(secret("team-b").data).toEqual({ "tls.crt": "Yw==" });
    expect(secret("team-a").data).toBeUndefined();
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

  it("names missing Secrets instead of creating them, and still writes the others", async () => {
    api.delete("v1", "Secret", "team-a", NAME);
    const s = sink();
    // One copy is enough to read from.
    expect(await s.read()).toBeUndefined();
    const err = await s.write({ a: "b" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretMissingError);
    expect((err as SecretMissingError).namespaces).toEqual(["team-a"]);
    expect((err as Error).message).toContain(`Secret team-a/${NAME} does not exist`);
    expect(secret("gatehouse").data).toEqual({ a: "Yg==" });
    // None at all: reading fails too, naming every one.
    api.delete("v1", "Secret", "gatehouse", NAME);
    const none = await s.read().catch((e: unknown) => e);
    expect((none as SecretMissingError).namespaces).toEqual(["gatehouse", "team-a"]);
    expect((none as Error).message).toContain(`Secrets gatehouse/${NAME}, team-a/${NAME} do not exist`);
    expect(api.countRequests({ verb: "create" })).toBe(0);
  });
});
