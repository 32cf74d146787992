// Plain gRPC backends for the real-client tests: each answers /test.Echo/Who with its name.
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";

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
