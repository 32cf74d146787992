import { describe, expect, it } from "vitest";
import { readinessOf } from "./readiness-poller";

describe("readinessOf", () => {
  it("reads libs/runtime's /readyz: 200 is ready; a 503 names the checks that fail", () => {
    expect(readinessOf(200, '{"status":"ready","checks":{"nats":"ok"}}')).toEqual({ ready: true });
    expect(readinessOf(503, '{"status":"not ready","checks":{"nats":"ok","cluster-synced":"informers not synced yet"}}')).toEqual({
      ready: false,
      detail: "cluster-synced: informers not synced yet",
    });
    expect(readinessOf(500, "internal error\n")).toEqual({ ready: false, detail: "HTTP 500" });
  });
});
