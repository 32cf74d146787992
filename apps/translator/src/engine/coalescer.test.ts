import { describe, expect, it } from "vitest";
import { Coalescer } from "./coalescer";

describe("Coalescer", () => {
  it("hands over the latest value per key, in first-arrival order, one batch at a time", async () => {
    const batches: [string, number][][] = [];
    let release!: () => void;
    let first = true;
    const c = new Coalescer<number>({ debounceMs: 5, maxWaitMs: 50 }, async (batch) => {
      batches.push([...batch]);
      if (first) {
        first = false;
        await new Promise<void>((r) => (release = r));
      }
    });
    c.push("a", 1);
    c.push("b", 1);
    c.push("a", 2);
    await waitFor(() => batches.length === 1);
    // While the first batch is being handled, updates queue up for the next one.
    c.push("b", 2);
    c.push("c", 1);
    c.push("b", 3);
    expect(batches).toHaveLength(1);
    release();
    await c.idle();
    expect(batches).toEqual([
      [["a", 2], ["b", 1]],
      [["b", 3], ["c", 1]],
    ]);
  });

  it("flushes a steady stream after maxWait even if updates never pause", async () => {
    const batches: number[] = [];
    const c = new Coalescer<number>({ debounceMs: 1_000, maxWaitMs: 20 }, async (batch) => {
      batches.push(batch.size);
    });
    c.push("a", 1);
    await waitFor(() => batches.length === 1);
    expect(batches).toEqual([1]);
  });

  it("keeps going after a batch handler fails", async () => {
    const errors: unknown[] = [];
    const seen: string[] = [];
    const c = new Coalescer<number>(
      { debounceMs: 1, maxWaitMs: 10 },
      async (batch) => {
        seen.push(...batch.keys());
        if (batch.has("bad")) throw new Error("boom");
      },
      (err) => errors.push(err),
    );
    c.push("bad", 1);
    await c.idle();
    c.push("good", 1);
    await c.idle();
    expect(seen).toEqual(["bad", "good"]);
    expect(errors).toHaveLength(1);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 2));
  }
}
