// The registry of benchmarks. Each module exports `run(argv)`, which prints a table and
// writes JSON through report.ts.
export interface BenchModule {
  run(argv: string[]): Promise<void>;
}

export const BENCHES: Record<string, { summary: string; load: () => Promise<BenchModule> }> = {
  translate: {
    summary: "translate() with 1,000 and 10,000 HTTPRoutes on one Gateway: time and peak memory",
    load: () => import("./translate-bench"),
  },
  xds: {
    summary: "a Gateway IR with 10,000 routes to validated, encoded xDS resources (build, convert, validate, encode)",
    load: () => import("./xds-bench"),
  },
  "xds-status": {
    summary: "the xDS check translate --output status and the translator run per Gateway (build + validate + fold failures into status), 1 to 10,000 routes",
    load: () => import("./xds-status-bench"),
  },
  "xds-validate": {
    summary: "10,000 routes in a RouteConfiguration through proto3 JSON conversion, PGV validation and encoding",
    load: () => import("./xds-validate-bench"),
  },
  "rolling-restart": {
    summary: "rolling restarts of 100/1,000/10,000-pod Services through the endpoint fast path to Delta clients, with fan-out and the NATS+gRPC floor",
    load: () => import("./rolling-restart-bench"),
  },
  "ads-load": {
    summary: "1,000 concurrent Delta streams on one server: update→ACK latency for a route and an endpoint change, memory per stream",
    load: () => import("./ads-load-bench"),
  },
  pipeline: {
    summary: "manifest change to xDS client through watcher, translator and xds-server processes over NATS, 1,000 routes: p50/p99",
    load: () => import("./pipeline-bench"),
  },
  "kube-sync": {
    summary: "Kubernetes mode: the watcher process syncs 10,000 Services, 10,000 EndpointSlices, 2,000 HTTPRoutes to a ready bus (time, RSS, heap), then a burst of slice changes",
    load: () => import("./kube-sync-bench"),
  },
  bus: {
    summary: "libs/bus alone: put throughput, replay of 10,000 keys, put→onValue latency p50/p99, chunked 3 MiB IR put/get",
    load: () => import("./bus-bench"),
  },
};
