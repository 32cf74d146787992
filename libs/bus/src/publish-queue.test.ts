import { describe, expect, it } from "vitest";
import { PublishQueue, type KeyWriter } from "./publish-queue";

class RecordingWriter implements KeyWriter<number> {
  log: string[] = [];
  inFlight = new Set<string>();
  overlaps = 0;
  failNext = 0;
  gate: Promise<void> = Promise.resolve();
  async put(key: string, value: number) {
    await this.step(key, `put ${key}=${value}`);
  }
  async delete(key: string) {
    await this.step(key, `delete ${key}`);
  }
  private async step(key: string, entry: string) {
    if (this.inFlight.has(key)) this.overlaps++;
    this.inFlight.add(key);
    await this.gate;
    await new Promise((r) => setTimeout(r, 1));
    this.inFlight.delete(key);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("unavailable");
    }
    this.log.push(entry);
  }
}

describe("PublishQueue", () => {
  it("coalesces waiting writes per key and never overlaps writes of one key", async () => {
    const w = new RecordingWriter();
    let open!: () => void;
    w.gate = new Promise((r) => (open = r));
    const q = new PublishQueue(w, { concurrency: 10 });
    q.put("a", 1); // goes out at once and blocks on the gate
    q.put("a", 2);
    q.put("b", 1); // nothing of b in flight: goes out at once too
    q.put("a", 3); // replaces a=2 while it waits
    q.delete("b"); // waits for b=1
    expect(q.depth).toBe(2);
    open();
    await q.flushed();
    expect(w.log).toEqual(["put a=1", "put b=1", "put a=3", "delete b"]);
    expect(w.overlaps).toBe(0);
  });

  it("does not hold a key's write behind another key's slow write", async () => {
    const done: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const q = new PublishQueue<number>(
      {
        put: async (key, value) => {
          if (key === "slow") await slow;
          done.push(`${key}=${value}`);
        },
        delete: async () => undefined,
      },
      { concurrency: 4 },
    );
    q.put("slow", 1);
    q.put("fast", 1);
    await new Promise((r) => setTimeout(r, 5));
    q.put("fast", 2); // its first write is acknowledged: this one goes out now
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toEqual(["fast=1", "fast=2"]);
    release();
    await q.flushed();
    expect(done).toEqual(["fast=1", "fast=2", "slow=1"]);
  });

  it("never has more than `concurrency` writes in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const q = new PublishQueue<number>(
      {
        put: async () => {
          most = Math.max(most, ++inFlight);
          await new Promise((r) => setTimeout(r, 1));
          inFlight--;
        },
        delete: async () => undefined,
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 20; i++) q.put(`k${i}`, i);
    await q.flushed();
    expect(most).toBe(3);
    expect(q.publishedCount).toBe(20);
  });

  it("retries a failed write until it succeeds", async () => {
    const w = new RecordingWriter();
    w.failNext = 2;
    const errors: string[] = [];
    const q = new PublishQueue(w, { concurrency: 4, retryMs: 1, onError: (k) => errors.push(k) });
    q.put("a", 1);
    await q.flushed();
    expect(w.log).toEqual(["put a=1"]);
    expect(errors).toEqual(["a", "a"]);
  });

  it("drops a failed write that a newer one for the same key supersedes", async () => {
    const w = new RecordingWriter();
    w.failNext = 1;
    const q = new PublishQueue(w, { concurrency: 4, retryMs: 50, onError: () => q.put("a", 2) });
    q.put("a", 1);
    await q.flushed();
    expect(w.log).toEqual(["put a=2"]);
  });
});
