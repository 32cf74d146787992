import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff";

describe("Backoff", () => {
  it("doubles each delay up to the longest and starts over on reset", () => {
    const b = new Backoff({ initialMs: 25, maxMs: 150 });
    expect([b.next(), b.next(), b.peek(), b.next(), b.next(), b.next()]).toEqual([25, 50, 100, 100, 150, 150]);
    b.reset();
    expect(b.next()).toBe(25);
  });

  it("waits the delay it hands out", async () => {
    const b = new Backoff({ initialMs: 20, maxMs: 20 });
    const started = performance.now();
    await b.wait();
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });
});
