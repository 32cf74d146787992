import { describe, expect, it } from "vitest";
import { Subscription } from "./subscription";

describe("Subscription (SotW)", () => {
  it("treats an empty first request as the legacy wildcard, kept while requests stay empty", () => {
    const s = new Subscription();
    s.applySotw([]);
    expect(s.wildcard).toBe(true);
    s.applySotw([]);
    expect(s.wildcard).toBe(true);
  });

  it("leaves the legacy wildcard when names are given, and an empty list then unsubscribes all", () => {
    const s = new Subscription();
    s.applySotw([]);
    s.applySotw(["a"]);
    expect([s.wildcard, s.matches("a"), s.matches("b")]).toEqual([false, true, false]);
    const change = s.applySotw([]);
    expect([s.wildcard, s.matches("a")]).toEqual([false, false]);
    expect(change.removed).toEqual(["a"]);
  });

  it("subscribes to everything with '*', also when names are pinned beside it", () => {
    const s = new Subscription();
    s.applySotw(["*", "a"]);
    expect([s.wildcard, s.matches("zzz"), [...s.names]]).toEqual([true, true, ["a"]]);
    s.applySotw(["a"]);
    expect([s.wildcard, s.matches("zzz"), s.matches("a")]).toEqual([false, false, true]);
  });

  it("reports added and removed names", () => {
    const s = new Subscription();
    s.applySotw(["a", "b"]);
    const change = s.applySotw(["b", "c"]);
    expect(change).toEqual({ added: ["c"], removed: ["a"], wildcardChanged: false });
  });
});

describe("Subscription (Delta)", () => {
  it("treats an empty first subscribe as the legacy wildcard", () => {
    const s = new Subscription();
    s.applyDelta([], []);
    expect(s.wildcard).toBe(true);
  });

  it("subscribes names without wildcard, and '*' in or out of the lists", () => {
    const s = new Subscription();
    s.applyDelta(["a"], []);
    expect(s.wildcard).toBe(false);
    s.applyDelta(["*"], []);
    expect(s.wildcard).toBe(true);
    s.applyDelta([], ["*", "a"]);
    expect([s.wildcard, s.matches("a")]).toEqual([false, false]);
  });

  it("counts a name subscribed again as added (the client wants it again)", () => {
    const s = new Subscription();
    s.applyDelta(["a"], []);
    expect(s.applyDelta(["a"], []).added).toEqual(["a"]);
  });
});
