import { describe, expect, it } from "vitest";
import { ListGate } from "./list-gate";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("ListGate", () => {
  it("runs one list at a time, in the order they asked", async () => {
    const gate = new ListGate();
    const log: string[] = [];
    const first = deferred();
    const a = gate.run(async () => {
      log.push("a start");
      await first.promise;
      log.push("a end");
      return "a";
    });
    const b = gate.run(async () => {
      log.push("b start");
      return "b";
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(["a start"]);
    first.resolve();
    expect(await Promise.all([a, b])).toEqual(["a", "b"]);
    expect(log).toEqual(["a start", "a end", "b start"]);
  });

  it("lets a waiter that is stopped give up its turn without holding up the next", async () => {
    const gate = new ListGate();
    const first = deferred();
    const a = gate.run(() => first.promise);
    const stop = new AbortController();
    let ranStopped = false;
    const stopped = gate.run(async () => void (ranStopped = true), stop.signal);
    const c = gate.run(async () => "c");
    stop.abort();
    expect(await stopped).toBeUndefined();
    first.resolve();
    await a;
    expect(await c).toBe("c");
    expect(ranStopped).toBe(false);
  });

  it("passes the turn on when the list fails", async () => {
    const gate = new ListGate();
    await expect(gate.run(() => Promise.reject(new Error("503")))).rejects.toThrow("503");
    expect(await gate.run(async () => 1)).toBe(1);
  });
});
