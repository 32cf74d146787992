// The translator as a service: `resources` and `derived` in (replayed, then followed),
// per-Gateway IR to `ir` and statuses to `status`. Until both replays are done changes only
// accumulate; then one full translation runs (which also withdraws what the buckets hold
// for sources that vanished meanwhile), and from then on bursts are coalesced per key and
// only the affected Gateways are retranslated. A batch is published before the next one is
// translated, so outputs never overtake each other.
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import {
  BucketStore,
  consumeXdsEvents,
  encodeKey,
  ensureBus,
  gatewayBusKey,
  watchBucket,
  type BucketWatch,
  type ResourceRecord,
  type XdsEventConsumer,
} from "@gatehouse/bus";
import { contentHash, parseGatewayKey, type IPFamily } from "@gatehouse/ir";
import { Coalescer } from "../engine/coalescer";
import { objectId, TranslationEngine, type EngineObject, type EngineOutput } from "../engine/translation-engine";
import { NackBook, withNacks } from "../engine/nack-book";
import type { StatusRef } from "../engine/status-book";
import { gatewayApiBackend } from "./gatewayapi-backend";
import { translatorMetrics } from "./translator-metrics";

export interface TranslatorServiceOptions {
  nc: NatsConnection;
  logger: Logger;
  controllerName: string;
  /** Quiet time that ends a burst. */
  debounceMs?: number;
  /** Longest a change waits in a continuous burst. */
  maxWaitMs?: number;
  publishConcurrency?: number;
  /** How far back proxy events are read at start to rebuild open NACKs. */
  eventsLookbackMs?: number;
  /** The proxies' IP family, carried in every IR it publishes (default DEFAULT_IP_FAMILY of libs/ir). */
  ipFamily?: IPFamily;
}

/** Coalescer keys of "re-evaluate this Gateway's status" (object ids never start with NUL). */
const NACK_KEY = "\u0000nack/";

type Source = "resources" | "derived";

export class TranslatorService {
  readonly name = "translator";
  private readonly engine: TranslationEngine;
  private readonly coalescer: Coalescer<EngineObject | null>;
  private readonly sources: Record<Source, Map<string, EngineObject>> = { resources: new Map(), derived: new Map() };
  private readonly pendingReplay = new Map<string, EngineObject | null>();
  private watches: BucketWatch[] = [];
  private events: XdsEventConsumer | undefined;
  private readonly nacks = new NackBook();
  private irStore!: BucketStore<"ir">;
  private statusStore!: BucketStore<"status">;
  private fullDone = false;
  private readonly log: Logger;
  private readonly metrics = translatorMetrics();
  /** Keys of objects per bucket key, so a delete (which carries only the key) finds its id. */
  private readonly idOfKey: Record<Source, Map<string, string>> = { resources: new Map(), derived: new Map() };

  constructor(private readonly opts: TranslatorServiceOptions) {
    this.log = opts.logger.child({ component: "translator" });
    this.engine = new TranslationEngine(
      gatewayApiBackend({
        controllerName: opts.controllerName,
        ipFamily: opts.ipFamily,
        logger: this.log,
        onXdsFailures: (gateway, failures) =>
          this.log.warn(
            { gateway, failures: failures.map((f) => ({ resource: f.resourceName, source: f.source, listeners: f.listeners, policy: f.policy, dropped: f.dropped, issues: f.issues })) },
            "Envoy would reject part of the configuration; reported in status",
          ),
        onTranslate: (seconds, gateways) => this.metrics.translation.observe({ scope: gateways > 1 ? "many" : "one" }, seconds),
      }),
      (s) => (s.ref.kind === "Gateway" ? { ...s, status: withNacks(s.status, this.nacks.nacks(`${s.ref.namespace}/${s.ref.name}`)) } : s),
    );
    this.coalescer = new Coalescer(
      { debounceMs: opts.debounceMs ?? 5, maxWaitMs: opts.maxWaitMs ?? 100 },
      (batch) => this.process(batch, false),
      (err) => this.log.error({ err }, "translation batch failed"),
    );
  }

  /** Ready once the full translation after the replay is published. */
  get ready(): boolean {
    return this.fullDone;
  }

  async start(): Promise<void> {
    const { nc } = this.opts;
    await ensureBus(nc);
    this.irStore = await BucketStore.open(nc, "ir");
    this.statusStore = await BucketStore.open(nc, "status");
    await this.seed();
    for (const source of ["resources", "derived"] as const) {
      this.watches.push(
        await watchBucket(
          nc,
          source,
          {
            onValue: (key, record) => this.onChange(source, key, record),
            onDelete: (key) => this.onChange(source, key, null),
          },
          { logger: this.log },
        ),
      );
    }
    await Promise.all(this.watches.map((w) => w.replayed));
    const started = performance.now();
    // Changes keep arriving while the first translation is published: they collect in
    // pendingReplay again and are handed to the coalescer once it is out, not dropped.
    const replayed = new Map(this.pendingReplay);
    this.pendingReplay.clear();
    await this.process(replayed, true);
    this.fullDone = true;
    for (const [id, value] of this.pendingReplay) this.coalescer.push(id, value);
    this.pendingReplay.clear();
    // Proxy events: NACKs make a Gateway's Programmed condition False until the proxy ACKs.
    this.events = await consumeXdsEvents(
      nc,
      (event) => {
        if (!this.nacks.apply(event)) return;
        if (event.kind === "NACK") this.metrics.nacks.inc();
        this.coalescer.push(NACK_KEY + event.gatewayKey, null);
      },
      { since: new Date(Date.now() - (this.opts.eventsLookbackMs ?? 10 * 60_000)), logger: this.log },
    );
    this.log.info(
      { objects: this.engine.size, gateways: this.engine.gatewayCount(), ms: Math.round(performance.now() - started) },
      "initial translation published",
    );
  }

  async close(): Promise<void> {
    await this.events?.stop();
    for (const w of this.watches) await w.stop();
    await this.coalescer.idle();
  }

  /** Resolves when every change received so far is translated and published. */
  idle(): Promise<void> {
    return this.coalescer.idle();
  }

  /** What ir and status hold now, so the first translation publishes only differences. */
  private async seed(): Promise<void> {
    const ir = new Map<string, string>();
    const status = new Map<string, { ref: StatusRef; hash: string }>();
    const irWatch = await watchBucket(this.opts.nc, "ir", { onValue: (_k, r) => void ir.set(r.gatewayKey, r.contentHash) }, { logger: this.log });
    await irWatch.replayed;
    await irWatch.stop();
    const statusWatch = await watchBucket(
      this.opts.nc,
      "status",
      {
        onValue: (_k, r) => {
          const merged = { ref: r.ref, observedGeneration: r.observedGeneration, status: r.status };
          status.set(`${r.ref.kind}/${r.ref.namespace}/${r.ref.name}`, { ref: r.ref, hash: contentHash(merged) });
        },
      },
      { logger: this.log },
    );
    await statusWatch.replayed;
    await statusWatch.stop();
    this.engine.seed(ir, status);
  }

  private onChange(source: Source, key: string, record: ResourceRecord | null): void {
    let id: string;
    if (record) {
      // File-provider Events and other kinds translation never reads still pass: cheap, and
      // the backend ignores them.
      const obj = record.object as EngineObject;
      id = objectId(obj);
      this.idOfKey[source].set(key, id);
      this.sources[source].set(id, obj);
    } else {
      const known = this.idOfKey[source].get(key);
      if (!known) return;
      id = known;
      this.idOfKey[source].delete(key);
      this.sources[source].delete(id);
    }
    // Objects the watcher publishes win over derived ones of the same name.
    const effective = this.sources.resources.get(id) ?? this.sources.derived.get(id) ?? null;
    this.metrics.changes.inc({ bucket: source });
    if (!this.fullDone) this.pendingReplay.set(id, effective);
    else this.coalescer.push(id, effective);
  }

  private async process(input: ReadonlyMap<string, EngineObject | null>, full: boolean): Promise<void> {
    const started = performance.now();
    const batch = new Map<string, EngineObject | null>();
    const nackGateways: string[] = [];
    for (const [key, value] of input) {
      if (key.startsWith(NACK_KEY)) nackGateways.push(`Gateway/${key.slice(NACK_KEY.length)}`);
      else batch.set(key, value);
    }
    const out = this.engine.apply(batch, full);
    if (nackGateways.length > 0) {
      const refreshed = this.engine.refresh(nackGateways);
      out.statusPuts.push(...refreshed.statusPuts);
      out.statusDeletes.push(...refreshed.statusDeletes);
    }
    this.metrics.batchSize.observe(batch.size);
    await this.publish(out);
    this.metrics.gateways.set(this.engine.gatewayCount());
    this.log.debug(
      {
        changes: batch.size,
        translated: out.translated.length,
        irPuts: out.irPuts.length,
        irDeletes: out.irDeletes.length,
        statusPuts: out.statusPuts.length,
        ms: Math.round(performance.now() - started),
      },
      "batch published",
    );
  }

  /** Writes a batch's outputs (protected: a test holds the first one back to race it). */
  protected async publish(out: EngineOutput): Promise<void> {
    const ops: (() => Promise<unknown>)[] = [];
    for (const p of out.irPuts) ops.push(() => this.irStore.put(gatewayBusKey(parseGatewayKey(p.gateway)), p.ir));
    for (const gw of out.irDeletes) ops.push(() => this.irStore.delete(gatewayBusKey(parseGatewayKey(gw))));
    for (const s of out.statusPuts) ops.push(() => this.statusStore.put(encodeKey(s.ref), s));
    for (const ref of out.statusDeletes) ops.push(() => this.statusStore.delete(encodeKey(ref)));
    this.metrics.published.inc({ bucket: "ir" }, out.irPuts.length + out.irDeletes.length);
    this.metrics.published.inc({ bucket: "status" }, out.statusPuts.length + out.statusDeletes.length);
    await runPool(ops, this.opts.publishConcurrency ?? 32, (err) => this.log.warn({ err }, "publish failed; retrying"));
  }
}

/** Runs every op with at most `limit` in flight; an op that fails is retried until it succeeds. */
async function runPool(ops: (() => Promise<unknown>)[], limit: number, onError: (err: unknown) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ops.length) {
      const op = ops[next++];
      for (let attempt = 0; ; attempt++) {
        try {
          await op();
          break;
        } catch (err) {
          onError(err);
          await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** attempt)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, ops.length) }, worker));
}
