import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ServiceProcess } from "./service-process";

const dir = mkdtempSync(path.join(tmpdir(), "service-process-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ServiceProcess", () => {
  it("restarts a service that exits, logging its output to the file, until stopped", async () => {
    const logFile = path.join(dir, "exit-soon.log");
    const exits: string[] = [];
    const svc = new ServiceProcess(
      { name: "exit-soon", entry: "apps/cli/src/up/testdata/exit-soon.ts", args: ["--flag", "x"], env: { EXIT_SOON_MARK: "mark" }, logFile },
      (state) => exits.push(state.lastExit ?? ""),
    );
    svc.start();
    await waitFor(() => svc.state.restarts >= 2, 30_000);
    await svc.stop();
    expect(exits.slice(0, 2)).toEqual(["code 3", "code 3"]);
    expect(readFileSync(logFile, "utf8")).toContain("started --flag x mark");
  });

  it("stops a running service with SIGTERM", async () => {
    const logFile = path.join(dir, "long.log");
    const svc = new ServiceProcess({ name: "long", entry: "apps/cli/src/up/testdata/long-running.ts", args: [], env: {}, logFile });
    svc.start();
    await waitFor(() => readFileSync(logFile, "utf8").includes("running"), 30_000);
    const pid = svc.state.pid!;
    await svc.stop();
    expect(svc.state.lastExit).toBe("code 0");
    expect(readFileSync(logFile, "utf8")).toContain("stopping");
    expect(() => process.kill(pid, 0)).toThrow();
  });
});

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!safe(cond)) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

function safe(cond: () => boolean): boolean {
  try {
    return cond();
  } catch {
    return false;
  }
}
