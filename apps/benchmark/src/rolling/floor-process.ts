// The floor's server side, in its own process like the xds-server it stands for: a KV
// watch, the ClusterLoadAssignment encoded with protobufjs (message objects built once,
// one endpoint's health flipped per change, the whole assignment encoded each time), and a
// DeltaDiscoveryResponse written by a bare grpc-js server to every client stream. No
// Gatehouse code: only Envoy's protos (loaded through libs/xds's loader) and the libraries.
import { Server, ServerCredentials, type ServerDuplexStream } from "@grpc/grpc-js";
import { connect } from "nats";
import { messageType, TYPE_URLS } from "@gatehouse/xds";

const EDS = TYPE_URLS.endpoint;
const METHOD = "/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources";

export type ToFloor = { type: "stop"; id: number } | { type: "streams"; id: number };
export type FromFloor = { type: "ready"; port: number } | { type: "done"; id: number; streams?: number; claBytes?: number };

async function main(): Promise<void> {
  const send = (m: FromFloor) => process.send!(m);
  const endpoints = Number(process.env.FLOOR_ENDPOINTS);
  const nc = await connect({ servers: process.env.NATS_URL! });
  const kv = await nc.jetstream().views.kv(process.env.FLOOR_BUCKET!, { history: 1 });
  const reqType = messageType("envoy.service.discovery.v3.DeltaDiscoveryRequest");
  const resType = messageType("envoy.service.discovery.v3.DeltaDiscoveryResponse");
  const claType = messageType(EDS);
  const streams = new Set<ServerDuplexStream<unknown, unknown>>();
  const server = new Server();
  server.register(
    METHOD,
    (call: ServerDuplexStream<unknown, unknown>) => {
      call.once("data", () => streams.add(call));
      call.on("error", () => streams.delete(call));
      call.on("end", () => {
        streams.delete(call);
        call.end();
      });
    },
    (value: unknown) => {
      const bytes = resType.encode(value as never).finish();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    (bytes: Buffer) => reqType.decode(bytes),
    "bidi",
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );

  const LbEndpoint = claType.lookupType("envoy.config.endpoint.v3.LbEndpoint");
  const lbEndpoints = Array.from(
    { length: endpoints },
    (_, i) =>
      LbEndpoint.fromObject({
        endpoint: { address: { socket_address: { address: `10.9.${i >> 8}.${i & 255}`, port_value: 8080 } } },
        health_status: "HEALTHY",
      }) as unknown as { health_status: number },
  );
  const cla = claType.fromObject({ cluster_name: "floor", endpoints: [{ locality: { zone: "zone-a" }, lb_endpoints: [] }] }) as unknown as {
    endpoints: Array<{ lb_endpoints: unknown[] }>;
  };
  cla.endpoints[0].lb_endpoints = lbEndpoints;
  let claBytes = 0;
  const watch = await kv.watch({ key: ">" });
  void (async () => {
    for await (const entry of watch) {
      if (entry.operation !== "PUT") continue;
      const i = Number(new TextDecoder().decode(entry.value));
      lbEndpoints[i % endpoints].health_status = i % 2 === 0 ? 3 : 1;
      const value = claType.encode(cla as never).finish();
      claBytes = value.length;
      const response = { system_version_info: String(i), type_url: EDS, nonce: String(i), resources: [{ name: "floor", version: String(i), resource: { type_url: EDS, value } }] };
      for (const s of streams) s.write(response);
    }
  })();

  process.on("message", async (m: ToFloor) => {
    if (m.type === "streams") send({ type: "done", id: m.id, streams: streams.size, claBytes });
    else if (m.type === "stop") {
      watch.stop();
      server.forceShutdown();
      await nc.close();
      send({ type: "done", id: m.id });
      process.disconnect();
    }
  });
  send({ type: "ready", port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
