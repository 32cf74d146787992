// The watcher side of the benchmark as its own process: the watcher's endpoints publisher
// (its PublishQueue over the `endpoints` bucket, with the watcher's settings) fed with
// EndpointSlices. It replays a rollout at a fixed rate and reports when each step was fed
// in (absolute time: performance.timeOrigin + performance.now(), comparable across the
// benchmark's processes) and when its write was acknowledged.
import { connect } from "nats";
// The watcher's publish queue (PublishQueue in libs/bus), as the watcher uses it.
import { BucketStore, encodeKey, PublishQueue, type EndpointSliceInput } from "@gatehouse/bus";
import { NAMESPACE } from "./constants";
import { planRollout } from "./rollout";
import { SliceModel } from "./slice-model";


export type ToPublisher =
  | { type: "publish"; id: number; changes: Array<{ name: string; slice?: EndpointSliceInput }> }
  | { type: "rollInit"; id: number; service: string; pods: number }
  | { type: "rollRun"; id: number; rate: number }
  | { type: "stop"; id: number };

export type FromPublisher =
  | { type: "ready" }
  | { type: "done"; id: number; inputAt?: number }
  | { type: "rolled"; id: number; inputAt: number[]; publishMs: number[]; feedSeconds: number };

const abs = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const send = (m: FromPublisher) => process.send!(m);
  const nc = await connect({ servers: process.env.NATS_URL!, name: "watcher", noAsyncTraces: true }); // as connectBus
  const store = await BucketStore.open(nc, "endpoints");
  const writes: Array<{ key: string; start: number; end: number }> = [];
  const timed = async (key: string, write: () => Promise<unknown>) => {
    const start = performance.now();
    await write();
    writes.push({ key, start, end: performance.now() });
  };
  // Same settings as the watcher's FileWatcherService.
  const queue = new PublishQueue<EndpointSliceInput>(
    { put: (k, v) => timed(k, () => store.put(k, v)), delete: (k) => timed(k, () => store.delete(k)) },
    { concurrency: 64, onError: (key, err) => console.error(`publish ${key} failed: ${String(err)}`) },
  );
  const key = (name: string) => encodeKey({ kind: "EndpointSlice", namespace: NAMESPACE, name });
  const publish = (name: string, slice: EndpointSliceInput | undefined) => (slice ? queue.put(key(name), slice) : queue.delete(key(name)));
  let roll: { model: SliceModel; steps: ReturnType<typeof planRollout>["steps"] } | undefined;

  process.on("message", async (m: ToPublisher) => {
    if (m.type === "publish") {
      const inputAt = abs();
      for (const c of m.changes) publish(c.name, c.slice);
      await queue.flushed();
      send({ type: "done", id: m.id, inputAt });
    } else if (m.type === "rollInit") {
      const rollout = planRollout(m.pods);
      const model = new SliceModel(NAMESPACE, m.service, rollout.pods);
      for (const p of rollout.pods) if (p.old) model.apply(p.id, "ready");
      for (const s of model.all()) publish(s.name, s.slice);
      await queue.flushed();
      roll = { model, steps: rollout.steps };
      send({ type: "done", id: m.id });
    } else if (m.type === "rollRun") {
      const { model, steps } = roll!;
      const inputAt: number[] = [];
      const inputs: Array<{ key: string; at: number }> = [];
      writes.length = 0;
      const start = performance.now();
      for (let i = 0; i < steps.length; ) {
        const due = Math.min(steps.length, Math.floor(((performance.now() - start) * m.rate) / 1000) + 1);
        for (; i < due; i++) {
          const change = model.apply(steps[i].pod, steps[i].phase);
          const t = performance.now();
          publish(change.name, change.slice);
          inputAt.push(performance.timeOrigin + t);
          inputs.push({ key: key(change.name), at: t });
        }
        await new Promise((r) => setTimeout(r, 1));
      }
      const feedSeconds = (performance.now() - start) / 1000;
      await queue.flushed();
      send({ type: "rolled", id: m.id, inputAt, publishMs: publishDelays(inputs, writes), feedSeconds });
    } else if (m.type === "stop") {
      await queue.flushed();
      await nc.close();
      send({ type: "done", id: m.id });
      process.disconnect();
    }
  });
  send({ type: "ready" });
}

/** For each input, the first write of its key that started after it: input → acknowledged. */
function publishDelays(inputs: Array<{ key: string; at: number }>, writes: Array<{ key: string; start: number; end: number }>): number[] {
  const byKey = new Map<string, Array<{ start: number; end: number }>>();
  for (const w of writes) {
    let list = byKey.get(w.key);
    if (!list) byKey.set(w.key, (list = []));
    list.push(w);
  }
  for (const list of byKey.values()) list.sort((a, b) => a.start - b.start);
  const out: number[] = [];
  for (const { key, at } of inputs) {
    const w = byKey.get(key)?.find((x) => x.start >= at);
    if (w) out.push(w.end - at);
  }
  return out;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
