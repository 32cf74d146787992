// IRs for bus tests: a minimal valid one, and one padded to a given size (the bus does
// not look inside the IR beyond its shape, so the padding need not be meaningful).
import { IR_SCHEMA_VERSION, type GatewayIR } from "@gatehouse/ir";
import { randomBytes } from "node:crypto";

export function sampleIR(name = "edge", extra: Partial<GatewayIR> = {}): GatewayIR {
  return {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: { namespace: "infra", name },
    gatewayClassName: "gatehouse",
    listeners: [],
    clusters: [],
    secrets: [],
    infrastructure: {} as GatewayIR["infrastructure"],
    ...extra,
  };
}

/** An IR whose canonical JSON is at least `bytes` long, with random (incompressible) content. */
export function largeIR(name: string, bytes: number): GatewayIR {
  const clusters = [];
  for (let size = 0, i = 0; size < bytes; i++) {
    const cluster = { name: `cluster-${i}`, pad: randomBytes(1024).toString("hex") };
    size += JSON.stringify(cluster).length + 1;
    clusters.push(cluster);
  }
  return sampleIR(name, { clusters: clusters as unknown as GatewayIR["clusters"] });
}
