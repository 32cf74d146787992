// The rollout checks in a worker thread of the benchmark's process. The Delta clients
// live on the main thread and stand for proxies: they only receive and ACK. Everything
// they received is posted here (each distinct version's bytes once) and kept until the
// main thread asks, so neither the checks' CPU during the run nor the garbage collection
// of what is kept pauses the clients' event loop.
import { parentPort, workerData } from "node:worker_threads";
import { planRollout } from "./rollout";
import { RolloutObserver } from "./rollout-observer";

export type ToObserver =
  | { type: "baseline"; client: number; version: string; bytes: Uint8Array }
  | { type: "receive"; client: number; version: string; at: number; bytes?: Uint8Array }
  | { type: "lost"; id: number }
  | { type: "report"; id: number; inputs: number[]; cachedAt: Map<string, number> };

export type FromObserver = { type: "ready"; id: 0 } | { type: "lost"; id: number; lost: number } | { type: "report"; id: number; report: ReturnType<RolloutObserver["report"]> };

export interface ObserverWorkerData {
  pods: number;
  clients: number;
}

const { pods, clients } = workerData as ObserverWorkerData;
const observer = new RolloutObserver(planRollout(pods), clients);
const bytesOf = new Map<string, Uint8Array>();
let receipts: Array<{ client: number; version: string; at: number }> = [];

/** Applies the receipts that arrived since the last question, in order. */
function catchUp(): void {
  for (const r of receipts) observer.receive(r.client, r.version, bytesOf.get(r.version)!, r.at);
  receipts = [];
}

parentPort!.on("message", (m: ToObserver) => {
  switch (m.type) {
    case "baseline":
      observer.baseline(m.client, m.version, m.bytes);
      break;
    case "receive":
      if (m.bytes) bytesOf.set(m.version, m.bytes);
      receipts.push({ client: m.client, version: m.version, at: m.at });
      break;
    case "lost":
      catchUp();
      parentPort!.postMessage({ type: "lost", id: m.id, lost: observer.lost() } satisfies FromObserver);
      break;
    case "report":
      catchUp();
      observer.inputs(m.inputs);
      parentPort!.postMessage({ type: "report", id: m.id, report: observer.report(m.cachedAt) } satisfies FromObserver);
      break;
  }
});

parentPort!.postMessage({ type: "ready", id: 0 } satisfies FromObserver);
