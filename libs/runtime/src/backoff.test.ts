import { describe, expect, it } from "vitest";
import { Backoff, sleep } from "./backoff";

describe("Backoff", () => {
  it("doubles each delay up to the longest and starts over on reset", () => {
    const b = new Backoff({ initialMs: 25, maxMs: 150 });
    expect([b.next(), b.next(), b.peek(), b.next(), b.next(), b.next()]).toEqual([25, 50, 100, 100, 150, 150]);
    expect(b.attempts).toBe(5);
    b.reset();
    expect(b.next()).toBe(25);
  });

  it("keeps jittered waits within the jitter fraction below the base", () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.5 });
    for (let i = 0; i < 50; i++) {
      const w = b.next();
      expect(w).toBeGreaterThanOrEqual(500);
      expect(w).toBeLessThanOrEqual(1000);
    }
  });

  it("waits the delay it hands out", async () => {
    const b = new Backoff({ initialMs: 20, maxMs: 20 });
    const started = performance.now();
    expect(await b.wait()).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it("wakes a sleeper early when its signal aborts", async () => {
    const ac = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, ac.signal);
    ac.abort();
    expect(await slept).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await sleep(1)).toBe(true);
  });
});
