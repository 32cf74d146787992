// The Aggregated Discovery Service, in the shape of go-control-plane: `cache/` holds
// resources per group and type URL and knows nothing of streams (pkg/cache); `server/`
// speaks the stream protocol (SotW, Delta, ACK/NACK, transport, credentials) over a cache
// (pkg/server). The xds-server app only wires them to the bus.
export * from "./cache/index";
export * from "./server/index";
