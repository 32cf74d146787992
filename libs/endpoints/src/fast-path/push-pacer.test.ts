import { describe, expect, it } from "vitest";
import { PushPacer } from "./push-pacer";

describe("PushPacer", () => {
  // Each push is 100 ms after the previous one, so every push reads the load.
  const pacer = (loads: number[]) => {
    let clock = 0;
    return new PushPacer({ windowMs: 5, maxSpacingMs: 50, load: () => loads.shift() ?? 0, now: () => (clock += 100) });
  };

  it("keeps the window while the process is not busy and pushes are cheap", () => {
    const p = pacer([0.1, 0.5, 0.6]);
    for (let i = 0; i < 3; i++) p.pushed(0.5);
    expect(p.spacing()).toBe(5);
  });

  it("waits at least twice as long as the last push took", () => {
    const p = pacer([0]);
    p.pushed(12);
    expect(p.spacing()).toBe(24);
  });

  it("widens under load up to the ceiling, and narrows back to the window as the load falls", () => {
    const p = pacer([...Array(20).fill(0.95), ...Array(20).fill(0.1)]);
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      p.pushed(1);
      seen.push(p.spacing());
    }
    expect(seen[0]).toBe(7.5);
    expect(seen[1]).toBeGreaterThan(seen[0]);
    expect(Math.max(...seen)).toBe(50);
    expect(seen[19]).toBe(50);
    expect(seen[20]).toBeLessThan(50);
    expect(seen[39]).toBe(5);
  });

  it("holds the spacing between the two thresholds", () => {
    const p = pacer([0.9, 0.9, 0.55, 0.55]);
    p.pushed(0);
    p.pushed(0);
    const held = p.spacing();
    p.pushed(0);
    p.pushed(0);
    expect(p.spacing()).toBe(held);
  });

  it("reads the load over spans of 100 ms, not per push", () => {
    let clock = 0;
    let reads = 0;
    const p = new PushPacer({ windowMs: 5, maxSpacingMs: 50, load: () => (reads++, 1), now: () => clock });
    for (let i = 0; i < 30; i++) {
      clock += 10;
      p.pushed(0);
    }
    expect(reads).toBe(3);
    expect(p.spacing()).toBeGreaterThan(5);
  });

  it("refuses a ceiling below the window", () => {
    expect(() => new PushPacer({ windowMs: 10, maxSpacingMs: 5 })).toThrow(/at least the window/);
    expect(() => new PushPacer({ windowMs: -1, maxSpacingMs: 5 })).toThrow(/>= 0 ms/);
  });
});
