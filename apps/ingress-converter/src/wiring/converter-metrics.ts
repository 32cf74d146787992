// Metrics of the ingress-converter on prom-client's default registry (served by /metrics).
import { Counter, Gauge, Histogram, register } from "prom-client";

export interface ConverterMetrics {
  conversion: Histogram;
  ingresses: Gauge<"state">;
  published: Counter<"bucket" | "op">;
  changes: Counter<"kind">;
  converted: Counter;
}

let metrics: ConverterMetrics | undefined;

export function converterMetrics(): ConverterMetrics {
  const get = <T>(name: string, make: () => T): T => (register.getSingleMetric(name) as T) ?? make();
  return (metrics ??= {
    conversion: get(
      "gatehouse_ingress_converter_conversion_seconds",
      () =>
        new Histogram({
          name: "gatehouse_ingress_converter_conversion_seconds",
          help: "Time of one update: converting the Ingresses a change affects and settling the output",
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        }),
    ),
    ingresses: get(
      "gatehouse_ingress_converter_ingresses",
      () =>
        new Gauge({
          name: "gatehouse_ingress_converter_ingresses",
          help: "Ingresses by state: converted, incomplete (something not carried over), skipped (not our class)",
          labelNames: ["state"],
        }),
    ),
    published: get(
      "gatehouse_ingress_converter_published_total",
      () => new Counter({ name: "gatehouse_ingress_converter_published_total", help: "Puts and deletes written to derived and ingress-status", labelNames: ["bucket", "op"] }),
    ),
    changes: get(
      "gatehouse_ingress_converter_changes_total",
      () => new Counter({ name: "gatehouse_ingress_converter_changes_total", help: "Ingress, IngressClass, Service and Gateway status changes received", labelNames: ["kind"] }),
    ),
    converted: get(
      "gatehouse_ingress_converter_converted_total",
      () => new Counter({ name: "gatehouse_ingress_converter_converted_total", help: "Ingresses converted (a change converts again only the Ingresses it affects)" }),
    ),
  });
}
