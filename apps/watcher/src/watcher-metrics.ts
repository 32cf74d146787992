// Metrics of the watcher, on prom-client's default registry (served by the runtime's /metrics).
import { Counter, Gauge, register } from "prom-client";

export interface WatcherMetrics {
  objects: Gauge;
  fileErrors: Gauge;
  changes: Counter<"bucket" | "op">;
  queueDepth: Gauge<"bucket">;
  infraWrites: Counter<"op" | "kind">;
}

let metrics: WatcherMetrics | undefined;

export function watcherMetrics(): WatcherMetrics {
  const get = <T>(name: string, make: () => T): T => (register.getSingleMetric(name) as T) ?? make();
  return (metrics ??= {
    objects: get("gatehouse_watcher_objects", () => new Gauge({ name: "gatehouse_watcher_objects", help: "Objects the watched folder defines" })),
    fileErrors: get("gatehouse_watcher_file_errors", () => new Gauge({ name: "gatehouse_watcher_file_errors", help: "Manifest files that do not parse" })),
    changes: get(
      "gatehouse_watcher_changes_total",
      () => new Counter({ name: "gatehouse_watcher_changes_total", help: "Object puts and deletes queued for the bus", labelNames: ["bucket", "op"] }),
    ),
    queueDepth: get(
      "gatehouse_watcher_queue_depth",
      () => new Gauge({ name: "gatehouse_watcher_queue_depth", help: "Writes waiting per bucket (coalesced per key)", labelNames: ["bucket"] }),
    ),
    infraWrites: get(
      "gatehouse_watcher_infra_writes_total",
      () => new Counter({ name: "gatehouse_watcher_infra_writes_total", help: "Proxy infrastructure writes to the API server (apply, create, delete) per kind", labelNames: ["op", "kind"] }),
    ),
  });
}
