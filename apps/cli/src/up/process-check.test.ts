import { describe, expect, it } from "vitest";
import { checkUpProcesses } from "./process-check";
import type { UpState } from "./up-state";

const state: UpState = {
  pid: 100,
  natsUrl: "nats://127.0.0.1:4222",
  xdsAddress: "127.0.0.1:18000",
  provider: "file",
  dir: "/m",
  startedAt: "2026-01-01T00:00:00.000Z",
  services: [
    { name: "watcher", pid: 101, healthPort: 1, log: "w.log" },
    { name: "translator", pid: 102, healthPort: 2, log: "t.log" },
  ],
  natsPid: 103,
  bootstrapDir: "/b",
  bootstraps: {},
  statusFile: "/s",
};

describe("checkUpProcesses", () => {
  it("says every recorded process is running", () => {
    const c = checkUpProcesses(state, () => true);
    expect(c.allAlive).toBe(true);
    expect(c.lines).toEqual([
      "gatehouse up, PID 100, started 2026-01-01T00:00:00.000Z:",
      "  gatehouse up  PID 100  running",
      "  watcher       PID 101  running",
      "  translator    PID 102  running",
      "  nats-server   PID 103  running",
    ]);
  });

  it("says so first when up itself is gone (killed) and marks each dead process", () => {
    const c = checkUpProcesses(state, (pid) => pid === 102);
    expect(c.allAlive).toBe(false);
    expect(c.lines[0]).toBe("gatehouse up (PID 100, started 2026-01-01T00:00:00.000Z) is not running; up.json is left from it. What follows may be stale.");
    expect(c.lines).toContain("  watcher       PID 101  NOT RUNNING");
    expect(c.lines).toContain("  translator    PID 102  running");
  });
});
