// Prometheus metrics of the ADS server. One set per registry (tests make several servers in
// one process; prom-client refuses to register a name twice).
import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from "prom-client";

export interface XdsMetrics {
  readonly nacks: Counter<"type_url">;
  readonly acks: Counter<"type_url">;
  readonly responses: Counter<"type_url" | "protocol">;
  readonly responseBytes: Counter<"type_url" | "protocol">;
  readonly resourcesSent: Counter<"type_url" | "protocol">;
  readonly streams: Gauge<"protocol">;
  readonly ackLatency: Histogram<"type_url">;
}

const byRegistry = new WeakMap<Registry, XdsMetrics>();

export function xdsMetrics(registry: Registry = defaultRegistry): XdsMetrics {
  let m = byRegistry.get(registry);
  if (m) return m;
  const registers = [registry];
  m = {
    nacks: new Counter({
      name: "gatehouse_xds_nacks_total",
      help: "xDS responses rejected by a proxy (NACK), by type URL",
      labelNames: ["type_url"],
      registers,
    }),
    acks: new Counter({
      name: "gatehouse_xds_acks_total",
      help: "xDS responses accepted by a proxy (ACK), by type URL",
      labelNames: ["type_url"],
      registers,
    }),
    responses: new Counter({
      name: "gatehouse_xds_responses_total",
      help: "xDS responses sent",
      labelNames: ["type_url", "protocol"],
      registers,
    }),
    responseBytes: new Counter({
      name: "gatehouse_xds_response_bytes_total",
      help: "Encoded resource bytes sent in xDS responses",
      labelNames: ["type_url", "protocol"],
      registers,
    }),
    resourcesSent: new Counter({
      name: "gatehouse_xds_resources_sent_total",
      help: "Resources sent in xDS responses",
      labelNames: ["type_url", "protocol"],
      registers,
    }),
    streams: new Gauge({
      name: "gatehouse_xds_streams",
      help: "Open ADS streams",
      labelNames: ["protocol"],
      registers,
    }),
    ackLatency: new Histogram({
      name: "gatehouse_xds_ack_latency_seconds",
      help: "Time from sending an xDS response to its ACK or NACK",
      labelNames: ["type_url"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
  byRegistry.set(registry, m);
  return m;
}
