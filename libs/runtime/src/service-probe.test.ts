import { describe, expect, it } from "vitest";
import { Counter, Registry } from "prom-client";
import { metricSum } from "./service-probe";

describe("metricSum", () => {
  it("sums every label set of a sample name and ignores names that only share its prefix", async () => {
    const registry = new Registry();
    const c = new Counter({ name: "demo_changes_total", help: "h", labelNames: ["kind"], registers: [registry] });
    new Counter({ name: "demo_changes_total_other", help: "h", registers: [registry] }).inc(100);
    c.inc({ kind: "a" }, 2);
    c.inc({ kind: "b" }, 3);
    const text = await registry.metrics();
    expect(metricSum(text, "demo_changes_total")).toBe(5);
    expect(metricSum(text, "demo_missing")).toBe(0);
  });
});
