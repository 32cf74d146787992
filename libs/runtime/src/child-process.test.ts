import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { terminate, waitForOutput } from "./child-process";

const node = (script: string) => spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });

describe("waitForOutput", () => {
  it("resolves when the marker is printed, on stderr too", async () => {
    const child = node("console.error('Server is ready'); setInterval(() => {}, 1000)");
    await waitForOutput(child, "Server is ready", 10_000);
    await terminate(child, 5_000);
    expect(child.signalCode).toBe("SIGTERM");
  });

  it("rejects with the output when the process exits first", async () => {
    const child = node("console.log('bad config'); process.exit(3)");
    await expect(waitForOutput(child, "ready", 10_000, "thing")).rejects.toThrow(/thing exited \(code 3[\s\S]*bad config/);
  });

  it("rejects and kills the process when it stays silent", async () => {
    const child = node("setInterval(() => {}, 1000)");
    await expect(waitForOutput(child, "ready", 200)).rejects.toThrow(/not ready within 200 ms/);
    await new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
    expect(child.signalCode).toBe("SIGKILL");
  });
});

describe("terminate", () => {
  it("SIGKILLs a process that ignores SIGTERM after the grace period", async () => {
    const child = node("process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)");
    await waitForOutput(child, "up", 10_000);
    await terminate(child, 200);
    expect(child.signalCode).toBe("SIGKILL");
  });
});
