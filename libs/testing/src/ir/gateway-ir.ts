// A GatewayIR with every required field filled with an empty default, so tests and
// benchmarks state only what they exercise (listeners, clusters, ...).
import type { GatewayIR } from "@gatehouse/ir";

export function gatewayIR(fields: Partial<GatewayIR> = {}): GatewayIR {
  return {
    schemaVersion: 1,
    gateway: { namespace: "default", name: "gw" },
    gatewayClassName: "gatehouse",
    listeners: [],
    clusters: [],
    secrets: [],
    infrastructure: { labels: {}, annotations: {}, addresses: [] },
    ...fields,
  };
}
