import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { counter, gauge, histogram, LATENCY_BUCKETS_SECONDS } from "./metrics";

describe("metric helpers", () => {
  it("return the registered metric on a second call and refuse a type clash", async () => {
    const registry = new Registry();
    const a = counter({ name: "gatehouse_test_events_total", help: "h", labelNames: ["kind"], registers: [registry] });
    const b = counter({ name: "gatehouse_test_events_total", help: "h", labelNames: ["kind"], registers: [registry] });
    expect(b).toBe(a);
    a.inc({ kind: "ack" });
    b.inc({ kind: "ack" });
    expect(await registry.metrics()).toContain('gatehouse_test_events_total{kind="ack"} 2');
    expect(() => gauge({ name: "gatehouse_test_events_total", help: "h", registers: [registry] })).toThrow(/another type/);
    const h = histogram({ name: "gatehouse_test_latency_seconds", help: "h", buckets: [...LATENCY_BUCKETS_SECONDS], registers: [registry] });
    h.observe(0.003);
    expect(await registry.metrics()).toContain('gatehouse_test_latency_seconds_bucket{le="0.005"} 1');
  });
});
