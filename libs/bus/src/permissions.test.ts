import { startNatsServer, type NatsServerHandle } from "@gatehouse/testing";
import type { NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore } from "./bucket-store";
import { connectBus } from "./connect";
import { ensureBus } from "./declarations";
import { encodeKey, keyFilter } from "./keys";
import { busPermissions, busServices, natsAuthorizationConfig } from "./permissions";
import { watchBucket } from "./watch-bucket";
import { waitFor } from "./testdata/wait";
import type { ResourceRecord } from "./codecs/resource-codec";
import { largeIR } from "./testdata/sample-ir";

const service = (object: string): ResourceRecord => ({
  object: { apiVersion: "v1", kind: "Service", metadata: { name: object, namespace: "default" } },
  source: "test",
});

describe("bus permissions", () => {
  it("writes a password from nats-server's environment unquoted, so the server expands it", () => {
    const conf = natsAuthorizationConfig([
      { user: "watcher", service: "watcher", password: { env: "WATCHER_PASSWORD" } },
      { user: "translator", service: "translator", password: "s3cret" },
    ]);
    expect(conf).toContain('{ user: "watcher", password: $WATCHER_PASSWORD, permissions:');
    expect(conf).toContain('{ user: "translator", password: "s3cret", permissions:');
  });

  it("lets each service publish only to what it writes", () => {
    expect(busServices()).toEqual(["cert-manager", "ingress-converter", "translator", "watcher", "xds-server"]);
    const translator = busPermissions("translator").publish.allow;
    expect(translator).toContain("$KV.ir.>");
    expect(translator).toContain("$KV.status.>");
    expect(translator).not.toContain("$KV.resources.>");
    expect(translator).toContain("$JS.API.CONSUMER.CREATE.KV_resources.>");
    expect(translator).toContain("$JS.API.CONSUMER.CREATE.xds-events.>");
    expect(translator).not.toContain("$JS.API.STREAM.CREATE.*");
    expect(busPermissions("xds-server").publish.allow).toContain("gatehouse.xds-events.>");
    expect(busPermissions("watcher").publish.allow.filter((s) => s.startsWith("$KV."))).toEqual(["$KV.endpoints.>", "$KV.resources.>"]);
    expect(busPermissions("watcher").publish.allow).toContain("$JS.API.CONSUMER.CREATE.KV_ingress-status.>");
    // The converter writes Ingress statuses to its own bucket and only reads the translator's.
    const converter = busPermissions("ingress-converter").publish.allow;
    expect(converter.filter((s) => s.startsWith("$KV."))).toEqual(["$KV.derived.>", "$KV.ingress-status.>"]);
    expect(converter).toContain("$JS.API.CONSUMER.CREATE.KV_status.>");
  });

  it("lets only cert-manager answer certificate signing requests, and the xds-server ask", () => {
    const certManager = busPermissions("cert-manager");
    expect(certManager.subscribe.allow).toEqual(["_INBOX.>", "gatehouse.certs.sign"]);
    expect(certManager.publish.allow).toEqual(expect.arrayContaining(["$KV.certs.>", "$KV.locks.>", "_INBOX.>"]));
    expect(busPermissions("xds-server").publish.allow).toContain("gatehouse.certs.sign");
    expect(busPermissions("xds-server").subscribe.allow).toEqual(["_INBOX.>"]);
    expect(busPermissions("translator").publish.allow).not.toContain("gatehouse.certs.sign");
  });

  it("lets cert-manager read `resources` (the Gateways' namespaces) without writing it", () => {
    const certManager = busPermissions("cert-manager").publish.allow;
    expect(certManager).toContain("$JS.API.CONSUMER.CREATE.KV_resources.>");
    expect(certManager.filter((s) => s.startsWith("$KV."))).toEqual(["$KV.certs.>", "$KV.locks.>"]);
  });

  describe("enforced by a nats-server with one user per service", () => {
    let server: NatsServerHandle;
    const conns: NatsConnection[] = [];
    const as = async (user: string) => {
      const nc = await connectBus({ servers: server.url, name: user, user, pass: `${user}-secret` });
      conns.push(nc);
      return nc;
    };
    beforeAll(async () => {
      server = await startNatsServer({
        forceSpawn: true,
        maxPayload: 64 * 1024,
        extraConfig: natsAuthorizationConfig([
          { user: "admin", password: "admin-secret", service: "none", manageStreams: true },
          ...["watcher", "translator", "xds-server", "cert-manager", "ingress-converter"].map((s) => ({ user: s, password: `${s}-secret`, service: s })),
        ]),
      });
      await ensureBus(await as("admin"));
    });
    afterAll(async () => {
      for (const c of conns) await c.close();
      await server?.stop();
    });

    it("accepts the owner's writes and the readers' watches, refuses everyone else's writes", async () => {
      const watcherNc = await as("watcher");
      const translatorNc = await as("translator");
      const xdsNc = await as("xds-server");
      await ensureBus(translatorNc); // streams exist: only looked at, allowed

      const key = encodeKey({ kind: "Service", namespace: "default", name: "web" });
      const resources = await BucketStore.open(watcherNc, "resources", { retryForMs: 0 });
      await resources.put(key, service("web"));

      const seen: string[] = [];
      const watch = await watchBucket(translatorNc, "resources", { onValue: (k) => void seen.push(k) });
      await watch.replayed;
      expect(seen).toEqual([key]);

      const forged = await BucketStore.open(translatorNc, "resources", { retryForMs: 0 });
      await expect(forged.put(encodeKey({ kind: "Service", namespace: "default", name: "evil" }), service("evil"))).rejects.toThrow();

      // the translator writes large IRs (chunked) and the xds-server reads them
      const ir = await BucketStore.open(translatorNc, "ir", { retryForMs: 0 });
      const big = largeIR("edge", 200 * 1024);
      const irSeen: string[] = [];
      const irWatch = await watchBucket(xdsNc, "ir", { onValue: (_k, v) => void irSeen.push(v.contentHash) });
      await irWatch.replayed;
      await ir.put("Gateway.infra.edge", big);
      await waitFor("the xds-server to read the chunked IR", () => irSeen.length === 1);
      await expect((await BucketStore.open(xdsNc, "ir", { retryForMs: 0 })).put("Gateway.infra.edge", big)).rejects.toThrow();
      await expect(ensureBus(xdsNc, {})).resolves.toBeUndefined();
      await watch.stop();
      await irWatch.stop();
    });

    it("lets cert-manager watch the Gateways in `resources`, and refuses its writes there", async () => {
      const watcherNc = await as("watcher");
      const certManagerNc = await as("cert-manager");
      const gw = encodeKey({ kind: "Gateway", namespace: "team-a", name: "edge" });
      const resources = await BucketStore.open(watcherNc, "resources", { retryForMs: 0 });
      await resources.put(gw, { object: { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "edge", namespace: "team-a" } }, source: "test" });
      const seen: string[] = [];
      const watch = await watchBucket(certManagerNc, "resources", { onValue: (k) => void seen.push(k) }, { filter: keyFilter({ kind: "Gateway" }) });
      await watch.replayed;
      expect(seen).toEqual([gw]);
      await watch.stop();
      const forged = await BucketStore.open(certManagerNc, "resources", { retryForMs: 0 });
      await expect(forged.put(gw, { object: { apiVersion: "v1", kind: "Gateway", metadata: { name: "edge", namespace: "team-a" } }, source: "evil" })).rejects.toThrow();
    });

    it("lets the ingress-converter write Ingress statuses and read Gateway statuses, never write the translator's", async () => {
      const converterNc = await as("ingress-converter");
      const translatorNc = await as("translator");
      const watcherNc = await as("watcher");
      const gatewayKey = encodeKey({ kind: "Gateway", namespace: "infra", name: "edge" });
      const ingressKey = encodeKey({ kind: "Ingress", namespace: "shop", name: "web" });
      const record = (kind: string, namespace: string, name: string) => ({ ref: { group: "", kind, namespace, name }, observedGeneration: 1, status: {} });
      await (await BucketStore.open(translatorNc, "status", { retryForMs: 0 })).put(gatewayKey, record("Gateway", "infra", "edge"));
      const seen: string[] = [];
      const gateways = await watchBucket(converterNc, "status", { onValue: (k) => void seen.push(k) }, { filter: "Gateway.*.*" });
      await gateways.replayed;
      expect(seen).toEqual([gatewayKey]);
      await (await BucketStore.open(converterNc, "ingress-status", { retryForMs: 0 })).put(ingressKey, record("Ingress", "shop", "web"));
      await expect((await BucketStore.open(converterNc, "status", { retryForMs: 0 })).put(ingressKey, record("Ingress", "shop", "web"))).rejects.toThrow();
      const applied: string[] = [];
      const ingresses = await watchBucket(watcherNc, "ingress-status", { onValue: (k) => void applied.push(k) });
      await ingresses.replayed;
      expect(applied).toEqual([ingressKey]);
      await expect((await BucketStore.open(watcherNc, "ingress-status", { retryForMs: 0 })).put(ingressKey, record("Ingress", "shop", "web"))).rejects.toThrow();
      await gateways.stop();
      await ingresses.stop();
    });
  });
});
