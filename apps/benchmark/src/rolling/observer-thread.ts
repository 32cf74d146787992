// The main thread's side of observer-worker.ts: posts what the clients received (copying
// each version's bytes once, out of grpc-js's larger receive buffers) and asks for the
// checks' results.
import { Worker } from "node:worker_threads";
import type { FromObserver, ObserverWorkerData, ToObserver } from "./observer-worker";
import type { ObserverReport } from "./rollout-observer";

export class ObserverThread {
  private readonly worker: Worker;
  private readonly seen = new Set<string>();
  private nextId = 0;
  private readonly waiting = new Map<number, (m: FromObserver) => void>();
  /** Resolves once the worker has loaded (start measuring after it: loading costs CPU). */
  readonly ready: Promise<void>;

  constructor(data: ObserverWorkerData) {
    // The worker is TypeScript like the rest of the benchmark: its entry registers tsx first.
    this.worker = new Worker(new URL("./observer-worker-entry.mjs", import.meta.url), { workerData: data });
    this.ready = new Promise((resolve, reject) => {
      this.waiting.set(0, () => resolve());
      this.worker.once("error", reject);
    });
    this.worker.on("message", (m: FromObserver) => this.waiting.get(m.id)?.(m));
  }

  baseline(client: number, version: string, bytes: Uint8Array): void {
    this.post({ type: "baseline", client, version, bytes: new Uint8Array(bytes) });
  }

  receive(client: number, version: string, bytes: Uint8Array, at: number): void {
    if (this.seen.has(version)) {
      this.post({ type: "receive", client, version, at });
      return;
    }
    this.seen.add(version);
    // A copy of just these bytes, moved to the worker without a second copy.
    const copy = new Uint8Array(bytes);
    this.worker.postMessage({ type: "receive", client, version, at, bytes: copy } satisfies ToObserver, [copy.buffer]);
  }

  /** Pods, summed over clients, whose stage is not yet the final one. */
  async lost(): Promise<number> {
    const m = await this.ask({ type: "lost" });
    return m.type === "lost" ? m.lost : NaN;
  }

  async report(inputs: number[], cachedAt: Map<string, number>): Promise<ObserverReport> {
    const m = await this.ask({ type: "report", inputs, cachedAt });
    if (m.type !== "report") throw new Error("unexpected reply from the observer thread");
    return m.report;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }

  private post(m: ToObserver): void {
    this.worker.postMessage(m);
  }

  private ask(m: { type: "lost" } | { type: "report"; inputs: number[]; cachedAt: Map<string, number> }): Promise<FromObserver> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.waiting.set(id, (reply) => {
        this.waiting.delete(id);
        resolve(reply);
      });
      this.post({ ...m, id } as ToObserver);
    });
  }
}
