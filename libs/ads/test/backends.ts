// Plain gRPC backends for the real-client tests: each answers /test.Echo/Who with its name.
import type { XdsResource } from "../src/index";
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { apiListener, cla, cluster, route, T } from "./fixtures";

export const WHO_METHOD = "/test.Echo/Who";
const identity = (b: Buffer) => b;

export interface Backend {
  readonly name: string;
  readonly port: number;
  stop(): void;
}

export async function startBackend(name: string): Promise<Backend> {
  const server = new Server();
  server.addService(
    { Who: { path: WHO_METHOD, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
    { Who: (_call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>) => cb(null, Buffer.from(name)) },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { name, port, stop: () => server.forceShutdown() };
}

/** xds:///echo as the real-client tests serve it: routed to backend-a, backend-b ready for a route change. */
export function echoGateway(a: Backend, b: Backend): Record<string, XdsResource[]> {
  return {
    [T.listener]: [apiListener("echo", "echo-routes")],
    [T.route]: [route("echo-routes", "*", "backend-a")],
    [T.cluster]: [cluster("backend-a"), cluster("backend-b")],
    [T.endpoint]: [cla("backend-a", [["127.0.0.1", a.port]]), cla("backend-b", [["127.0.0.1", b.port]])],
  };
}

/** The xDS bootstrap (JSON) of a gRPC client of a gateway. */
export function grpcBootstrap(serverUri: string, nodeId: string, group: string): string {
  return JSON.stringify({
    xds_servers: [{ server_uri: serverUri, channel_creds: [{ type: "insecure" }], server_features: ["xds_v3"] }],
    node: { id: nodeId, cluster: group, locality: { region: "test", zone: "z1", sub_zone: "s1" } },
  });
}

/** backend-b as a cluster gRPC cannot use (MAGLEV), for the clients to NACK. */
export const unusableCluster = (): XdsResource => cluster("backend-b", { lbPolicy: "MAGLEV" });
