// The translator's state and its one decision: which Gateways to translate after a batch
// of changes, and what to publish afterwards. It holds every object of `resources` and
// `derived`, the dependency index and the last published content hash of every IR and
// status, and it is pure (no bus, no clock) so tests drive it directly.
import { contentHash, type GatewayIR } from "@gatehouse/ir";
import { DependencyIndex } from "./dependency-index";
import { StatusBook, statusId, type ObjectStatus, type StatusRef } from "./status-book";

export interface EngineObject {
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface TranslationResult {
  /** IR of each requested Gateway that is ours and valid enough to have one, by "namespace/name". */
  irs: Map<string, GatewayIR>;
  statuses: ObjectStatus[];
}

/** Gateway API semantics, supplied by libs/gatewayapi (an adapter in the service). */
export interface TranslationBackend {
  /** For every Gateway this controller manages ("namespace/name"): the ids of the objects its translation reads. */
  dependencies(objects: ReadonlyMap<string, EngineObject>): Map<string, Set<string>>;
  /** Translates the given Gateways. */
  translate(objects: ReadonlyMap<string, EngineObject>, gateways: string[]): TranslationResult;
  /**
   * The status merged from several translations, made to fit the object's bounds (route
   * parents, policy ancestors); `obj` is the object as last seen, with other controllers' entries.
   */
  boundStatus?(status: ObjectStatus, obj: EngineObject): ObjectStatus;
}

export interface IrPut {
  gateway: string;
  ir: GatewayIR;
  hash: string;
}

export interface EngineOutput {
  irPuts: IrPut[];
  irDeletes: string[];
  statusPuts: ObjectStatus[];
  statusDeletes: StatusRef[];
  translated: string[];
}

/** Id of an object everywhere in the translator: "Kind/namespace/name" (namespace "" when cluster-scoped). */
export function objectId(obj: EngineObject): string {
  return `${obj.kind}/${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
}

export class TranslationEngine {
  private readonly objects = new Map<string, EngineObject>();
  private readonly deps = new DependencyIndex();
  private readonly statuses = new StatusBook();
  /** What the buckets hold now (seeded from them at start), by gateway key and status id. */
  private readonly publishedIr = new Map<string, string>();
  private readonly publishedStatus = new Map<string, { ref: StatusRef; hash: string }>();

  /**
   * `overlay` adjusts a merged status before it is published (the translator puts proxy
   * NACKs into Gateway status this way); call refresh() when its answer changes.
   */
  constructor(
    private readonly backend: TranslationBackend,
    private readonly overlay?: (status: ObjectStatus) => ObjectStatus,
  ) {}

  /** Recomputes and publishes the statuses of the given objects (after the overlay changed). */
  refresh(ids: Iterable<string>): EngineOutput {
    const out: EngineOutput = { irPuts: [], irDeletes: [], statusPuts: [], statusDeletes: [], translated: [] };
    this.publishStatuses(new Set(ids), out);
    return out;
  }

  /** What `ir` and `status` already hold, so an unchanged result is not published again. */
  seed(ir: Map<string, string>, status: Map<string, { ref: StatusRef; hash: string }>): void {
    for (const [k, v] of ir) this.publishedIr.set(k, v);
    for (const [k, v] of status) this.publishedStatus.set(k, v);
  }

  get size(): number {
    return this.objects.size;
  }

  gatewayCount(): number {
    return this.deps.gateways().length;
  }

  /**
   * Applies a batch (id -> object, or null for a deletion). `full` translates every Gateway
   * and withdraws whatever the buckets hold that no longer has a source (after the replay).
   */
  apply(changes: ReadonlyMap<string, EngineObject | null>, full = false): EngineOutput {
    if (changes.size === 0 && !full) return { irPuts: [], irDeletes: [], statusPuts: [], statusDeletes: [], translated: [] };
    const affected = new Set<string>();
    for (const id of changes.keys()) for (const gw of this.deps.gatewaysReading(id)) affected.add(gw);
    for (const [id, obj] of changes) {
      if (obj) this.objects.set(id, obj);
      else this.objects.delete(id);
    }
    this.deps.replace(this.backend.dependencies(this.objects));
    for (const id of changes.keys()) {
      for (const gw of this.deps.gatewaysReading(id)) affected.add(gw);
      if (id.startsWith("Gateway/")) affected.add(id.slice("Gateway/".length));
    }
    if (full) {
      for (const gw of this.deps.gateways()) affected.add(gw);
      for (const gw of this.publishedIr.keys()) affected.add(gw);
    }

    const gateways = [...affected].sort();
    // A class (or the parameters it names) can change with no Gateway to retranslate: its own
    // status still comes from a translation, of no Gateway.
    const classLevel = [...changes.keys()].some((id) => id.startsWith("GatewayClass/") || id.startsWith("ProxyConfig/"));
    const result = gateways.length > 0 || classLevel ? this.backend.translate(this.objects, gateways) : { irs: new Map(), statuses: [] };
    const out: EngineOutput = { irPuts: [], irDeletes: [], statusPuts: [], statusDeletes: [], translated: gateways };

    for (const gw of gateways) {
      const ir = result.irs.get(gw);
      if (ir) {
        const hash = contentHash(ir);
        if (this.publishedIr.get(gw) !== hash) {
          out.irPuts.push({ gateway: gw, ir, hash });
          this.publishedIr.set(gw, hash);
        }
      } else if (this.publishedIr.delete(gw)) {
        out.irDeletes.push(gw);
      }
    }

    const touched = this.statuses.record(gateways, result.statuses);
    // A translated Gateway without a status of its own is no longer ours: forget its status.
    const withStatus = new Set(result.statuses.filter((s) => s.ref.kind === "Gateway").map((s) => `${s.ref.namespace}/${s.ref.name}`));
    for (const gw of gateways) {
      if (withStatus.has(gw)) continue;
      const id = `Gateway/${gw}`;
      if (this.statuses.remove(id)) touched.add(id);
    }
    for (const id of changes.keys()) if (!this.objects.has(id)) this.statuses.remove(id);
    if (full) for (const id of this.publishedStatus.keys()) touched.add(id);
    for (const id of changes.keys()) touched.add(id);
    this.publishStatuses(touched, out);
    return out;
  }

  private publishStatuses(touched: Set<string>, out: EngineOutput): void {
    for (const id of [...touched].sort()) {
      const obj = this.objects.get(id);
      const unbounded = obj ? this.statuses.get(id, parentRank(obj)) : undefined;
      const raw = unbounded && this.backend.boundStatus ? this.backend.boundStatus(unbounded, obj!) : unbounded;
      const merged = raw && this.overlay ? this.overlay(raw) : raw;
      if (merged) {
        const hash = contentHash(merged);
        if (this.publishedStatus.get(id)?.hash !== hash) {
          out.statusPuts.push(merged);
          this.publishedStatus.set(id, { ref: merged.ref, hash });
        }
      } else {
        const was = this.publishedStatus.get(id);
        if (was) {
          out.statusDeletes.push(was.ref);
          this.publishedStatus.delete(id);
        }
      }
    }
  }
}

export { statusId };

/** Position of a Gateway among an object's spec.parentRefs (or targetRefs), for status order. */
function parentRank(obj: EngineObject): (gateway: string) => number {
  const spec = (obj.spec ?? {}) as { parentRefs?: { namespace?: string; name?: string }[] };
  const ns = obj.metadata.namespace ?? "";
  const order = new Map<string, number>();
  (Array.isArray(spec.parentRefs) ? spec.parentRefs : []).forEach((r, i) => {
    const key = `${r?.namespace || ns}/${r?.name ?? ""}`;
    if (!order.has(key)) order.set(key, i);
  });
  return (gw) => order.get(gw) ?? Number.MAX_SAFE_INTEGER;
}
