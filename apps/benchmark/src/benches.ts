// The registry of benchmarks. Each module exports `run(argv)`, which prints a table and
// writes JSON through report.ts.
export interface BenchModule {
  run(argv: string[]): Promise<void>;
}

export const BENCHES: Record<string, { summary: string; load: () => Promise<BenchModule> }> = {
  xds: {
    summary: "a Gateway IR with 10,000 routes to validated, encoded xDS resources (build, convert, validate, encode)",
    load: () => import("./xds-bench"),
  },
  "xds-validate": {
    summary: "10,000 routes in a RouteConfiguration through proto3 JSON conversion, PGV validation and encoding",
    load: () => import("./xds-validate-bench"),
  },
  bus: {
    summary: "libs/bus alone: put throughput, replay of 10,000 keys, put→onValue latency p50/p99, chunked 3 MiB IR put/get",
    load: () => import("./bus-bench"),
  },
};
