import { describe, expect, it } from "vitest";
import { defineService, ServiceRunner } from "./service";
import { onShutdown, runServices } from "./shutdown";

function tracked(log: string[], name: string, opts: { failStart?: boolean; hangClose?: boolean } = {}) {
  return defineService(
    name,
    () => {
      if (opts.failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    () => {
      log.push(`close ${name}`);
      if (opts.hangClose) return new Promise<void>(() => {});
    },
  );
}

describe("ServiceRunner", () => {
  it("starts services in order and closes them in reverse", async () => {
    const log: string[] = [];
    const runner = new ServiceRunner().add(tracked(log, "bus"), tracked(log, "consumer"), tracked(log, "health"));
    await runner.start();
    expect(await runner.close()).toBe(true);
    expect(await runner.close()).toBe(true);
    expect(log).toEqual(["start bus", "start consumer", "start health", "close health", "close consumer", "close bus"]);
  });

  it("closes what started when a later service fails to start", async () => {
    const log: string[] = [];
    const runner = new ServiceRunner().add(tracked(log, "bus"), tracked(log, "consumer", { failStart: true }), tracked(log, "health"));
    await expect(runner.start()).rejects.toThrow("consumer cannot start");
    expect(log).toEqual(["start bus", "close bus"]);
  });

  it("gives up on a service that does not close in time and still closes the rest", async () => {
    const log: string[] = [];
    const runner = new ServiceRunner({ closeTimeoutMs: 50 }).add(tracked(log, "bus"), tracked(log, "stuck", { hangClose: true }));
    await runner.start();
    expect(await runner.close()).toBe(false);
    expect(log).toEqual(["start bus", "start stuck", "close stuck", "close bus"]);
  });
});

describe("shutdown", () => {
  it("closes on SIGTERM and exits 0 when clean, 1 on a second signal", async () => {
    const log: string[] = [];
    const runner = new ServiceRunner().add(tracked(log, "bus"), tracked(log, "health"));
    const codes: number[] = [];
    const exited = new Promise<void>((resolve) => {
      void runServices(runner, {
        signals: ["SIGUSR2"],
        exit: (code) => {
          codes.push(code);
          resolve();
        },
      });
    });
    await new Promise((r) => setImmediate(r));
    process.emit("SIGUSR2", "SIGUSR2");
    await exited;
    expect(codes).toEqual([0]);
    expect(log).toEqual(["start bus", "start health", "close health", "close bus"]);
    process.removeAllListeners("SIGUSR2");
  });

  it("exits 1 when closing exceeds the deadline", async () => {
    const codes: number[] = [];
    const done = new Promise<void>((resolve) => {
      const remove = onShutdown(() => new Promise(() => {}), {
        signals: ["SIGUSR2"],
        timeoutMs: 50,
        exit: (code) => {
          codes.push(code);
          remove();
          resolve();
        },
      });
    });
    process.emit("SIGUSR2", "SIGUSR2");
    await done;
    expect(codes).toEqual([1]);
  });
});
