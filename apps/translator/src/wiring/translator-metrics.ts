// Metrics of the translator on prom-client's default registry (served by /metrics).
import { Counter, Gauge, Histogram, register } from "prom-client";

export interface TranslatorMetrics {
  translation: Histogram<"scope">;
  batchSize: Histogram;
  changes: Counter<"bucket">;
  published: Counter<"bucket">;
  gateways: Gauge;
  nacks: Counter;
}

let metrics: TranslatorMetrics | undefined;

export function translatorMetrics(): TranslatorMetrics {
  const get = <T>(name: string, make: () => T): T => (register.getSingleMetric(name) as T) ?? make();
  return (metrics ??= {
    translation: get(
      "gatehouse_translator_translation_seconds",
      () =>
        new Histogram({
          name: "gatehouse_translator_translation_seconds",
          help: "Time of one translate() call (scope: one Gateway or many)",
          labelNames: ["scope"],
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        }),
    ),
    batchSize: get(
      "gatehouse_translator_batch_changes",
      () =>
        new Histogram({
          name: "gatehouse_translator_batch_changes",
          help: "Object changes coalesced into one translation batch",
          buckets: [1, 2, 5, 10, 50, 100, 500, 1000, 5000],
        }),
    ),
    changes: get(
      "gatehouse_translator_changes_total",
      () => new Counter({ name: "gatehouse_translator_changes_total", help: "Object changes received", labelNames: ["bucket"] }),
    ),
    published: get(
      "gatehouse_translator_published_total",
      () => new Counter({ name: "gatehouse_translator_published_total", help: "Puts and deletes written", labelNames: ["bucket"] }),
    ),
    gateways: get("gatehouse_translator_gateways", () => new Gauge({ name: "gatehouse_translator_gateways", help: "Gateways known" })),
    nacks: get("gatehouse_translator_nacks_total", () => new Counter({ name: "gatehouse_translator_nacks_total", help: "Proxy NACKs reflected into Gateway status" })),
  });
}
