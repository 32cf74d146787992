// Prometheus metrics of the ADS server. Per-message counts are kept in plain tallies and
// handed to prom-client when it collects (a scrape), because label hashing on every one of
// thousands of responses per second costs more than the counting. One set per registry
// (tests make several servers in one process; prom-client refuses a name twice).
import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from "prom-client";

export interface XdsMetrics {
  countAck(typeUrl: string): void;
  countNack(typeUrl: string): void;
  countResponse(typeUrl: string, protocol: string, resources: number, bytes: number): void;
  observeAckLatency(typeUrl: string, seconds: number): void;
  streamOpened(protocol: string): void;
  streamClosed(protocol: string): void;
}

interface Tally {
  readonly typeUrl: string;
  acks: number;
  nacks: number;
  responses: Map<string, { responses: number; resources: number; bytes: number }>;
}

const byRegistry = new WeakMap<Registry, XdsMetrics>();

export function xdsMetrics(registry: Registry = defaultRegistry): XdsMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const tallies = new Map<string, Tally>();
  const tally = (typeUrl: string): Tally => {
    let t = tallies.get(typeUrl);
    if (!t) tallies.set(typeUrl, (t = { typeUrl, acks: 0, nacks: 0, responses: new Map() }));
    return t;
  };
  // Each collect() publishes the tallies as absolute values.
  const fromTallies = (counter: Counter<string>, pick: (t: Tally) => Array<[Record<string, string>, number]>) => {
    counter.reset();
    for (const t of tallies.values()) for (const [labels, v] of pick(t)) if (v) counter.inc(labels, v);
  };
  const perProtocol = (t: Tally, key: "responses" | "resources" | "bytes") =>
    [...t.responses].map(([protocol, r]) => [{ type_url: t.typeUrl, protocol }, r[key]] as [Record<string, string>, number]);
  /** A counter whose value is read from the tallies at each scrape. */
  const tallyCounter = (name: string, help: string, labelNames: string[], pick: (t: Tally) => Array<[Record<string, string>, number]>) =>
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        fromTallies(this, pick);
      },
    });

  tallyCounter("gatehouse_xds_nacks_total", "xDS responses rejected by a proxy (NACK), by type URL", ["type_url"], (t) => [[{ type_url: t.typeUrl }, t.nacks]]);
  tallyCounter("gatehouse_xds_acks_total", "xDS responses accepted by a proxy (ACK), by type URL", ["type_url"], (t) => [[{ type_url: t.typeUrl }, t.acks]]);
  tallyCounter("gatehouse_xds_responses_total", "xDS responses sent", ["type_url", "protocol"], (t) => perProtocol(t, "responses"));
  tallyCounter("gatehouse_xds_resources_sent_total", "Resources sent in xDS responses", ["type_url", "protocol"], (t) => perProtocol(t, "resources"));
  tallyCounter("gatehouse_xds_response_bytes_total", "Encoded resource bytes sent in xDS responses", ["type_url", "protocol"], (t) => perProtocol(t, "bytes"));
  const streams = new Gauge({ name: "gatehouse_xds_streams", help: "Open ADS streams", labelNames: ["protocol"], registers });
  const ackLatency = new Histogram({
    name: "gatehouse_xds_ack_latency_seconds",
    help: "Time from sending an xDS response to its ACK or NACK",
    labelNames: ["type_url"],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const latencyOf = new Map<string, { observe(v: number): void }>();

  const m: XdsMetrics = {
    countAck: (typeUrl) => void tally(typeUrl).acks++,
    countNack: (typeUrl) => void tally(typeUrl).nacks++,
    countResponse: (typeUrl, protocol, resources, bytes) => {
      const t = tally(typeUrl);
      let r = t.responses.get(protocol);
      if (!r) t.responses.set(protocol, (r = { responses: 0, resources: 0, bytes: 0 }));
      r.responses++;
      r.resources += resources;
      r.bytes += bytes;
    },
    observeAckLatency: (typeUrl, seconds) => {
      let h = latencyOf.get(typeUrl);
      if (!h) latencyOf.set(typeUrl, (h = ackLatency.labels(typeUrl)));
      h.observe(seconds);
    },
    streamOpened: (protocol) => streams.inc({ protocol }),
    streamClosed: (protocol) => streams.dec({ protocol }),
  };
  byRegistry.set(registry, m);
  return m;
}
