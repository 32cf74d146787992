// A real xDS client: @grpc/grpc-js-xds (SotW) resolves xds:///echo through the ADS server,
// makes RPCs to local backends, follows updates, and NACKs a cluster it cannot use.
import { Client, credentials, type ServiceError } from "@grpc/grpc-js";
import * as grpcXds from "@grpc/grpc-js-xds";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AckEvent, NackEvent } from "../src/index";
import { echoGateway, grpcBootstrap, startBackend, unusableCluster, WHO_METHOD, type Backend } from "./backends";
import { cla, cluster, counterValue, route, startTestServer, T, until, type TestServer } from "./fixtures";

const G = "grpc/echo-gateway";
let server: TestServer;
let a: Backend;
let b: Backend;
const acks: AckEvent[] = [];
const nacks: NackEvent[] = [];

beforeAll(async () => {
  grpcXds.register();
  server = await startTestServer();
  [a, b] = await Promise.all([startBackend("A"), startBackend("B")]);
  server.ads.addEventListener({ onAck: (e) => acks.push(e), onNack: (e) => nacks.push(e) });
  server.cache.setGroupSnapshot(G, echoGateway(a, b));
});
afterAll(async () => {
  a.stop();
  b.stop();
  await server.stop();
});

function xdsClient(nodeId: string): Client {
  return new Client("xds:///echo", credentials.createInsecure(), {
    "grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config": grpcBootstrap(server.address, nodeId, G),
  });
}

function who(client: Client): Promise<string> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(WHO_METHOD, (x: Buffer) => x, (x: Buffer) => x, Buffer.alloc(0), { deadline: Date.now() + 3_000 }, (err: ServiceError | null, res?: Buffer) =>
      err ? reject(err) : resolve(res!.toString()),
    );
  });
}

/** Calls until the answer is the expected backend (traffic follows config asynchronously). */
async function untilServedBy(client: Client, name: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    try {
      last = await who(client);
      if (last === name) return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`not served by ${name} within ${timeoutMs} ms (last: ${last})`);
  }
}

describe("@grpc/grpc-js-xds client", () => {
  it("resolves xds:///echo through the server, follows a route change, and NACKs an unusable cluster", async () => {
    const client = xdsClient("grpc-node-1");
    try {
      await untilServedBy(client, "A");
      expect(server.ads.status().find((s) => s.nodeId === "grpc-node-1")).toMatchObject({ group: G, protocol: "sotw" });
      await until(() => [T.listener, T.route, T.cluster, T.endpoint].every((t) => acks.some((e) => e.nodeId === "grpc-node-1" && e.typeUrl === t)), 5_000, "ACKs");

      // The route moves to backend B: traffic follows.
      server.cache.setGroupResources(G, T.route, [route("echo-routes", "*", "backend-b")]);
      await untilServedBy(client, "B");

      // A cluster gRPC cannot use: NACKed, and the client keeps the last good one.
      const nacksBefore = await counterValue(server.registry, "gatehouse_xds_nacks_total", { type_url: T.cluster });
      server.cache.setGroupResources(G, T.cluster, [cluster("backend-a"), unusableCluster()]);
      await until(() => nacks.some((e) => e.nodeId === "grpc-node-1"), 10_000, "NACK");
      const nack = nacks.find((e) => e.nodeId === "grpc-node-1")!;
      expect(nack).toMatchObject({ group: G, typeUrl: T.cluster, protocol: "sotw" });
      expect(nack.errorMessage).toMatch(/lb_policy/);
      expect(await counterValue(server.registry, "gatehouse_xds_nacks_total", { type_url: T.cluster })).toBe(nacksBefore + 1);
      const st = server.ads.status().find((s) => s.nodeId === "grpc-node-1")!.types[T.cluster];
      expect(st.ackedVersion).toBe(nack.ackedVersion);
      expect(st.lastNack?.version).toBe(nack.version);
      expect(await who(client)).toBe("B");

      // Endpoints of backend-b now point at A's port: an EDS-only update, accepted, and by
      // then a resend loop of the rejected clusters would have shown.
      server.cache.updateResources(G, T.endpoint, [cla("backend-b", [["127.0.0.1", a.port]])]);
      await untilServedBy(client, "A");
      expect(nacks.filter((e) => e.nodeId === "grpc-node-1")).toHaveLength(1);

      // Fixed: accepted again.
      const acksBefore = acks.filter((e) => e.nodeId === "grpc-node-1" && e.typeUrl === T.cluster).length;
      server.cache.setGroupResources(G, T.cluster, [cluster("backend-a"), cluster("backend-b", { timeoutSec: 2 })]);
      await until(() => acks.filter((e) => e.nodeId === "grpc-node-1" && e.typeUrl === T.cluster).length > acksBefore, 10_000, "ACK of the fix");
    } finally {
      client.close();
    }
  });

  it("serves a fresh client the current configuration", async () => {
    server.cache.setGroupSnapshot(G, {
      [T.route]: [route("echo-routes", "*", "backend-b")],
      [T.endpoint]: [cla("backend-a", [["127.0.0.1", a.port]]), cla("backend-b", [["127.0.0.1", b.port]])],
    });
    const client = xdsClient("grpc-node-2");
    try {
      await untilServedBy(client, "B");
    } finally {
      client.close();
    }
  });
});
