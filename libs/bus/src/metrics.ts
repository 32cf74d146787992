// Bus metrics on prom-client's default registry (what the runtime's /metrics serves).
// Created once per process: prom-client refuses a second metric of the same name.
import { Counter, Gauge, register } from "prom-client";

export interface BusMetrics {
  consumerLag: Gauge<"bucket">;
  consumerRevision: Gauge<"bucket">;
  consumerRestarts: Counter<"bucket">;
  deadLetters: Counter<"bucket">;
  handlerErrors: Counter<"bucket">;
  chunkedWrites: Counter<"bucket">;
}

let metrics: BusMetrics | undefined;

function gauge(name: string, help: string): Gauge<"bucket"> {
  return (register.getSingleMetric(name) as Gauge<"bucket">) ?? new Gauge({ name, help, labelNames: ["bucket"] });
}

function counter(name: string, help: string): Counter<"bucket"> {
  return (register.getSingleMetric(name) as Counter<"bucket">) ?? new Counter({ name, help, labelNames: ["bucket"] });
}

export function busMetrics(): BusMetrics {
  return (metrics ??= {
    consumerLag: gauge("gatehouse_bus_consumer_lag_messages", "Messages of a bucket not yet delivered to its consumer"),
    consumerRevision: gauge("gatehouse_bus_consumer_revision", "Last bucket revision a consumer handled"),
    consumerRestarts: counter("gatehouse_bus_consumer_restarts_total", "Bucket consumers resumed after a reconnect or error"),
    deadLetters: counter("gatehouse_bus_dead_letters_total", "Values moved to the dead letter because they could not be decoded"),
    handlerErrors: counter("gatehouse_bus_handler_errors_total", "Bucket values whose handler threw"),
    chunkedWrites: counter("gatehouse_bus_chunked_writes_total", "Values split into chunks because they exceed max_payload"),
  });
}
