// The ingress-converter as a service: Ingress, IngressClass and Service from `resources`
// (replayed, then followed) to Gateway API objects in `derived`, of which it is the one
// writer, and each Ingress's wanted status (its Gateway's addresses, read from the
// translator's Gateway statuses in `status`) to `ingress-status`, which the watcher applies.
// A change converts again only the Ingresses it can affect (libs/ingress IngressConversion)
// and writes only what changed; the first pass after start compares with everything the
// buckets hold, so a restart rewrites nothing unchanged and removes what vanished meanwhile.
// Changes that arrive during a pass are handled by one more pass after it, never lost.
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { BucketStore, decodeKey, encodeKey, ensureBus, isObjectKey, watchBucket, type BucketName, type BucketWatch, type ResourceRecord } from "@gatehouse/bus";
import { IngressConversion, isIncomplete, type ConvertOptions, type IngressReport } from "@gatehouse/ingress";
import { contentHash } from "@gatehouse/ir";
import { derivedKey, diffDerived, type DerivedDiff } from "../engine/derived-diff";
import type { HashDiff } from "../engine/hash-diff";
import { diffStatusRecords, ingressStatusRecords } from "../engine/ingress-status-records";
import { converterMetrics } from "./converter-metrics";

export interface IngressConverterServiceOptions {
  nc: NatsConnection;
  logger: Logger;
  convert: ConvertOptions;
}

const KINDS = new Set(["Ingress", "IngressClass", "Service"]);
const SOURCE = "ingress-converter";
const RETRY_MS = 1_000;
type ReportState = "converted" | "incomplete" | "skipped";

export class IngressConverterService {
  readonly name = "ingress-converter";
  private readonly engine: IngressConversion;
  /** Content hash by key of what `derived` and `ingress-status` hold. */
  private readonly published = new Map<string, string>();
  private readonly statusPublished = new Map<string, string>();
  /** Each Gateway's `.status` by "namespace/name". */
  private readonly gatewayStatuses = new Map<string, unknown>();
  private readonly reportStates = new Map<string, ReportState>();
  private derived!: BucketStore<"derived">;
  private ingressStatus!: BucketStore<"ingress-status">;
  private watches: BucketWatch[] = [];
  private replayed = false;
  private firstDone = false;
  private statusDirty = true;
  /** Compare the whole output with the buckets (first pass, and after a failed one). */
  private fullCompare = true;
  private closed = false;
  private running: Promise<void> | undefined;
  private dirty = false;
  private readonly log: Logger;
  private readonly metrics = converterMetrics();

  constructor(private readonly opts: IngressConverterServiceOptions) {
    this.log = opts.logger.child({ component: "ingress-converter" });
    this.engine = new IngressConversion(opts.convert);
  }

  /** Ready once the first conversion after the replay is published. */
  get ready(): boolean {
    return this.firstDone;
  }

  async start(): Promise<void> {
    const { nc } = this.opts;
    await ensureBus(nc);
    this.derived = await BucketStore.open(nc, "derived", { logger: this.log });
    this.ingressStatus = await BucketStore.open(nc, "ingress-status", { logger: this.log });
    // What our buckets hold from before (our previous run), so only differences are written.
    await this.seed("derived", this.published);
    await this.seed("ingress-status", this.statusPublished);
    const gateways = await watchBucket(
      nc,
      "status",
      {
        onValue: (key, record) => this.onGatewayStatus(key, record.status),
        onDelete: (key) => this.onGatewayStatus(key, undefined),
      },
      { logger: this.log, filter: "Gateway.*.*" },
    );
    const resources = await watchBucket(
      nc,
      "resources",
      {
        onValue: (key, record) => this.onChange(key, record),
        onDelete: (key) => this.onChange(key, null),
      },
      // Every key, other kinds dropped here: several filter subjects on one consumer need
      // nats-server 2.10, and three watches would mean three replays to line up.
      { logger: this.log },
    );
    this.watches = [gateways, resources];
    await Promise.all(this.watches.map((w) => w.replayed));
    this.replayed = true;
    await this.schedule();
    this.firstDone = true;
    this.log.info({ ingresses: this.reportStates.size, published: this.published.size, statuses: this.statusPublished.size }, "initial conversion published");
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.watches.map((w) => w.stop()));
    await this.idle();
  }

  /** Resolves when every change received so far is converted and published. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async seed(bucket: BucketName, into: Map<string, string>): Promise<void> {
    const seed = await watchBucket(this.opts.nc, bucket, { onValue: (key, value) => void into.set(key, contentHash(bucket === "derived" ? (value as ResourceRecord).object : value)) }, { logger: this.log });
    await seed.replayed;
    await seed.stop();
  }

  private onChange(key: string, record: ResourceRecord | null): void {
    if (!isObjectKey(key)) return;
    const ref = decodeKey(key);
    if (!KINDS.has(ref.kind)) return;
    if (record) this.engine.set(record.object);
    else this.engine.delete(ref);
    this.metrics.changes.inc({ kind: ref.kind });
    if (this.replayed) void this.schedule();
  }

  private onGatewayStatus(key: string, status: unknown): void {
    if (!isObjectKey(key)) return;
    const { namespace, name } = decodeKey(key);
    if (status === undefined) this.gatewayStatuses.delete(`${namespace}/${name}`);
    else this.gatewayStatuses.set(`${namespace}/${name}`, status);
    this.statusDirty = true;
    this.metrics.changes.inc({ kind: "GatewayStatus" });
    if (this.replayed) void this.schedule();
  }

  /** Runs a pass now, or once more after the running one. */
  private schedule(): Promise<void> {
    this.dirty = true;
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.convertAndPublish();
      } catch (err) {
        // Lost NATS beyond the store's retries: the engine has moved on, so the next pass
        // compares everything with the buckets; it runs on the next change or after a pause.
        this.fullCompare = true;
        this.statusDirty = true;
        this.log.error({ err }, "publishing the conversion failed; retrying");
        if (!this.closed) setTimeout(() => void (this.closed || this.schedule()), RETRY_MS).unref();
      }
    }
  }

  private async convertAndPublish(): Promise<void> {
    const started = performance.now();
    const delta = this.engine.update();
    this.metrics.conversion.observe((performance.now() - started) / 1000);
    this.metrics.converted.inc(delta.converted);
    this.logReports(delta.reports, delta.removedReports);
    if (delta.reports.length > 0 || delta.removedReports.length > 0) this.statusDirty = true;

    const full = this.fullCompare;
    this.fullCompare = false;
    const diff: DerivedDiff = full
      ? diffDerived(this.published, this.engine.result().objects)
      : {
          // Objects the engine rebuilt may be equal to what is published: only real changes are written.
          puts: delta.puts.map((object) => ({ key: derivedKey(object), value: object, hash: contentHash(object) })).filter((p) => this.published.get(p.key) !== p.hash),
          deletes: delta.deletes.map((r) => encodeKey(r)).filter((k) => this.published.has(k)),
        };
    await this.write("derived", diff, this.published, (key, object) => this.derived.put(key, { object, source: SOURCE }), (key) => this.derived.delete(key));
    if (diff.puts.length || diff.deletes.length) this.log.debug({ converted: delta.converted, puts: diff.puts.length, deletes: diff.deletes.length }, "derived updated");
    if (this.statusDirty) await this.publishStatuses();
  }

  private async publishStatuses(): Promise<void> {
    this.statusDirty = false;
    const diff = diffStatusRecords(this.statusPublished, ingressStatusRecords(this.engine.statusTargets().values(), this.gatewayStatuses));
    await this.write("ingress-status", diff, this.statusPublished, (key, record) => this.ingressStatus.put(key, record), (key) => this.ingressStatus.delete(key));
    if (diff.puts.length || diff.deletes.length) this.log.debug({ puts: diff.puts.length, deletes: diff.deletes.length }, "ingress statuses updated");
  }

  /** Writes a diff to its bucket one key at a time, keeping `published` (hash by key) in step with what was written. */
  private async write<T>(
    bucket: "derived" | "ingress-status",
    diff: HashDiff<T>,
    published: Map<string, string>,
    put: (key: string, value: T) => Promise<unknown>,
    remove: (key: string) => Promise<void>,
  ): Promise<void> {
    for (const p of diff.puts) {
      await put(p.key, p.value);
      published.set(p.key, p.hash);
      this.metrics.published.inc({ bucket, op: "put" });
    }
    for (const key of diff.deletes) {
      await remove(key);
      published.delete(key);
      this.metrics.published.inc({ bucket, op: "delete" });
    }
  }

  /** Logs the reports that changed (warn for parts not carried over) and counts Ingresses by state. */
  private logReports(changed: IngressReport[], removed: string[]): void {
    for (const id of removed) this.reportStates.delete(id);
    for (const r of changed) {
      const id = `${r.ingress.namespace}/${r.ingress.name}`;
      const state: ReportState = !r.selected ? "skipped" : isIncomplete(r) ? "incomplete" : "converted";
      this.reportStates.set(id, state);
      if (state === "skipped") this.log.debug({ ingress: id, reason: r.classReason }, "Ingress skipped");
      else if (state === "incomplete") {
        const lost = r.annotations.filter((a) => a.outcome !== "converted").map((a) => `${a.annotation} (${a.outcome}): ${a.message}`);
        this.log.warn({ ingress: id, problems: r.problems, annotations: lost }, "Ingress converted with parts not carried over");
      } else this.log.info({ ingress: id, generated: r.generated.length }, "Ingress converted");
    }
    const counts: Record<ReportState, number> = { converted: 0, incomplete: 0, skipped: 0 };
    for (const s of this.reportStates.values()) counts[s]++;
    for (const [state, n] of Object.entries(counts)) this.metrics.ingresses.set({ state }, n);
  }
}
