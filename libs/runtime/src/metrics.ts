// Get-or-create metrics: prom-client refuses a second metric of the same name, and a
// module that builds its metrics on first use (or twice in a test run) should get the same
// one back. Names follow gatehouse_<component>_<what>_<unit>.
import {
  Counter,
  Gauge,
  Histogram,
  register,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
  type Registry,
} from "prom-client";

type AnyRegistry = Pick<Registry, "getSingleMetric">;

function existing<M extends Metric>(name: string, registry: AnyRegistry, kind: string, check: (m: Metric) => boolean): M | undefined {
  const m = registry.getSingleMetric(name);
  if (!m) return undefined;
  if (!check(m)) throw new Error(`metric ${name} is already registered as another type than ${kind}`);
  return m as M;
}

const registriesOf = (cfg: { registers?: readonly AnyRegistry[] }): AnyRegistry => cfg.registers?.[0] ?? register;

export function counter<T extends string = string>(cfg: CounterConfiguration<T>): Counter<T> {
  return existing<Counter<T>>(cfg.name, registriesOf(cfg), "counter", (m) => m instanceof Counter) ?? new Counter(cfg);
}

export function gauge<T extends string = string>(cfg: GaugeConfiguration<T>): Gauge<T> {
  return existing<Gauge<T>>(cfg.name, registriesOf(cfg), "gauge", (m) => m instanceof Gauge) ?? new Gauge(cfg);
}

export function histogram<T extends string = string>(cfg: HistogramConfiguration<T>): Histogram<T> {
  return existing<Histogram<T>>(cfg.name, registriesOf(cfg), "histogram", (m) => m instanceof Histogram) ?? new Histogram(cfg);
}

/** Buckets (seconds) for latencies from a millisecond to ten seconds. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
