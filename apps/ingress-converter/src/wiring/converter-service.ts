// The ingress-converter as a service: Ingress, IngressClass and Service from `resources`
// (replayed, then followed) to Gateway API objects in `derived`, of which it is the one
// writer. Every change reconverts every Ingress (pure and fast: a few milliseconds for
// hundreds) and writes only the difference with what `derived` holds, so an edited Ingress
// rewrites only its own changed routes and a deleted one has its objects deleted. Changes
// that arrive during a conversion are handled by one more conversion after it, never lost.
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { BucketStore, decodeKey, ensureBus, isObjectKey, watchBucket, type BucketWatch, type KubeObject, type ResourceRecord } from "@gatehouse/bus";
import { convertIngresses, isIncomplete, type ConvertOptions, type IngressReport } from "@gatehouse/ingress";
import { contentHash } from "@gatehouse/ir";
import { diffDerived } from "../engine/derived-diff";
import { converterMetrics } from "./converter-metrics";

export interface IngressConverterServiceOptions {
  nc: NatsConnection;
  logger: Logger;
  convert: ConvertOptions;
}

const KINDS = ["Ingress", "IngressClass", "Service"] as const;
type Kind = (typeof KINDS)[number];
const SOURCE = "ingress-converter";

export class IngressConverterService {
  readonly name = "ingress-converter";
  private readonly inputs: Record<Kind, Map<string, KubeObject>> = { Ingress: new Map(), IngressClass: new Map(), Service: new Map() };
  /** Content hash by key of what `derived` holds. */
  private readonly published = new Map<string, string>();
  /** Hash of each Ingress's last logged report, so a report is logged when it changes only. */
  private readonly loggedReports = new Map<string, string>();
  private store!: BucketStore<"derived">;
  private watch: BucketWatch | undefined;
  private replayed = false;
  private firstDone = false;
  private running: Promise<void> | undefined;
  private dirty = false;
  private readonly log: Logger;
  private readonly metrics = converterMetrics();

  constructor(private readonly opts: IngressConverterServiceOptions) {
    this.log = opts.logger.child({ component: "ingress-converter" });
  }

  /** Ready once the first conversion after the replay is published. */
  get ready(): boolean {
    return this.firstDone;
  }

  async start(): Promise<void> {
    const { nc } = this.opts;
    await ensureBus(nc);
    this.store = await BucketStore.open(nc, "derived", { logger: this.log });
    // What derived holds from before (our previous run), so only differences are written.
    const seed = await watchBucket(nc, "derived", { onValue: (key, r) => void this.published.set(key, contentHash(r.object)) }, { logger: this.log });
    await seed.replayed;
    await seed.stop();
    this.watch = await watchBucket(
      nc,
      "resources",
      {
        onValue: (key, record) => this.onChange(key, record),
        onDelete: (key) => this.onChange(key, null),
        onReplayDone: () => {
          this.replayed = true;
        },
      },
      // Every key, other kinds dropped here: several filter subjects on one consumer need
      // nats-server 2.10, and three watches would mean three replays to line up.
      { logger: this.log },
    );
    await this.watch.replayed;
    await this.schedule();
    this.firstDone = true;
    this.log.info({ ingresses: this.inputs.Ingress.size, published: this.published.size }, "initial conversion published");
  }

  async close(): Promise<void> {
    await this.watch?.stop();
    await this.idle();
  }

  /** Resolves when every change received so far is converted and published. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private onChange(key: string, record: ResourceRecord | null): void {
    const kind = (isObjectKey(key) ? decodeKey(key).kind : "") as Kind;
    if (!KINDS.includes(kind)) return;
    if (record) this.inputs[kind].set(key, record.object);
    else if (!this.inputs[kind].delete(key)) return;
    this.metrics.changes.inc({ kind });
    if (this.replayed) void this.schedule();
  }

  /** Runs a conversion now, or once more after the running one. */
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
        // Lost NATS beyond the store's retries: the next change (or restart) converges again.
        this.log.error({ err }, "publishing the conversion failed");
      }
    }
  }

  private async convertAndPublish(): Promise<void> {
    const started = performance.now();
    const result = convertIngresses(
      { ingresses: [...this.inputs.Ingress.values()], ingressClasses: [...this.inputs.IngressClass.values()], services: [...this.inputs.Service.values()] },
      this.opts.convert,
    );
    this.metrics.conversion.observe((performance.now() - started) / 1000);
    this.logReports(result.reports);
    const diff = diffDerived(this.published, result.objects as KubeObject[]);
    for (const put of diff.puts) {
      await this.store.put(put.key, { object: put.object, source: SOURCE });
      this.published.set(put.key, put.hash);
      this.metrics.published.inc({ op: "put" });
    }
    for (const key of diff.deletes) {
      await this.store.delete(key);
      this.published.delete(key);
      this.metrics.published.inc({ op: "delete" });
    }
    if (diff.puts.length || diff.deletes.length) this.log.debug({ puts: diff.puts.length, deletes: diff.deletes.length }, "derived updated");
  }

  private logReports(reports: IngressReport[]): void {
    const states = { converted: 0, incomplete: 0, skipped: 0 };
    const seen = new Set<string>();
    for (const r of reports) {
      const id = `${r.ingress.namespace}/${r.ingress.name}`;
      seen.add(id);
      states[!r.selected ? "skipped" : isIncomplete(r) ? "incomplete" : "converted"]++;
      const hash = contentHash(r);
      if (this.loggedReports.get(id) === hash) continue;
      this.loggedReports.set(id, hash);
      if (!r.selected) this.log.debug({ ingress: id, reason: r.classReason }, "Ingress skipped");
      else if (isIncomplete(r)) {
        const lost = r.annotations.filter((a) => a.outcome !== "converted").map((a) => `${a.annotation} (${a.outcome}): ${a.message}`);
        this.log.warn({ ingress: id, problems: r.problems, annotations: lost }, "Ingress converted with parts not carried over");
      } else this.log.info({ ingress: id, generated: r.generated.length }, "Ingress converted");
    }
    for (const id of this.loggedReports.keys()) if (!seen.has(id)) this.loggedReports.delete(id);
    for (const [state, n] of Object.entries(states)) this.metrics.ingresses.set({ state }, n);
  }
}
