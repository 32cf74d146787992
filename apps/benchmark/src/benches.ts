// The registry of benchmarks. Each module exports `run(argv)`, which prints a table and
// writes JSON through report.ts.
export interface BenchModule {
  run(argv: string[]): Promise<void>;
}

export const BENCHES: Record<string, { summary: string; load: () => Promise<BenchModule> }> = {
};
