// The Envoy infrastructure of our Gateways, applied by the leader (Kubernetes mode): each
// Gateway of one of our GatewayClasses is rendered by libs/infra from its resolved parameters
// and the cluster's IP families, and every object is applied by server-side apply (field
// manager `gatehouse`, force) only when its rendering changed since we last applied it.
// Gateways are applied concurrently (up to `concurrency` at once) on libs/bus's PublishQueue:
// one Gateway is never applied twice at once, and changes that arrive while it is applied
// coalesce into one more pass that renders its latest input.
//  - A deleted Gateway: its objects carry it as controlling owner, so the API server's
//    garbage collector removes them; we only forget them.
//  - Orphans: when a Gateway's rendered set changes (the HPA disabled, a name that changed),
//    its objects are listed by owner labels and those no longer rendered deleted; after
//    gaining leadership, once every Gateway is applied, one cluster-wide list per kind finds
//    what a Gateway that left our classes (or a run before ours) left behind.
//  - Bad parameters: nothing is applied for the Gateway (the translator reports
//    InvalidParameters with the same resolver); what runs keeps running, so a typo in a
//    ProxyConfig never takes traffic down.
//  - The client certificate Secret of each namespace with one of our Gateways is created
//    empty if absent, for cert-manager to fill (its RBAC allows update of that one name);
//    it is never written again, so its data is never overwritten.
import type { Logger } from "pino";
import { resolveProxyParameters } from "@gatehouse/gatewayapi";
import {
  deployedXdsServer,
  INFRA_RESOURCES,
  infraObjectId,
  infraResourceOf,
  renderedHash,
  renderInfrastructure,
  SECRET_RESOURCE,
  type ClusterFacts,
  type InfraObject,
} from "@gatehouse/infra";
import {
  COMPONENT_LABEL,
  labelValue,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  OWNING_GATEWAY_NAME_LABEL,
  OWNING_GATEWAY_NAMESPACE_LABEL,
  ownerSelector,
  PROXY_COMPONENT,
} from "@gatehouse/kube";
import { APPLY_PATCH, isAlreadyExists, isNotFound, KubeApiError, type ApiObject, type KubeClient } from "@gatehouse/kube-client";
import { PublishQueue } from "@gatehouse/bus";
import { Backoff } from "@gatehouse/runtime";
import type { InfraInputs } from "./infra-inputs";

export const FIELD_MANAGER = "gatehouse";
/** Gateways applied at once by default: enough to hide the API server's round trip, far below what its priority and fairness allows a controller. */
export const DEFAULT_INFRA_APPLY_CONCURRENCY = 8;

export interface InfraApplierOptions {
  client: KubeClient;
  inputs: InfraInputs;
  /** Whether this replica may write now (the leader elector's isLeader). */
  isLeader: () => boolean;
  /** Namespace of the control plane; the xds-server Envoy dials defaults to deploy/'s Service there. */
  controlPlaneNamespace: string;
  xdsServer?: ClusterFacts["xdsServer"];
  logger: Logger;
  /** Gateways applied at once (default DEFAULT_INFRA_APPLY_CONCURRENCY); one Gateway's objects are always applied one after another. */
  concurrency?: number;
  /** Called after each object applied or deleted (metrics). */
  onWrite?: (op: "apply" | "delete" | "create", kind: string) => void;
}

/** What was applied for one Gateway: the hash of each object's rendering, by "Kind/name". */
type Applied = Map<string, string>;

/** A write the API server refused for this input (422 Invalid, 400, 403): retried when the input changes, not in a loop. */
function isPermanent(err: unknown): boolean {
  return err instanceof KubeApiError && err.code >= 400 && err.code < 500 && err.code !== 409 && err.code !== 429;
}

export class InfraApplier {
  /** Latest-wins queue of Gateways to reconcile: distinct Gateways at once, one Gateway never twice at once. */
  private readonly queue: PublishQueue<null>;
  /** Gateways changed while this replica could not apply (not started, not leading): queued when it can. */
  private readonly waiting = new Set<string>();
  private readonly applied = new Map<string, Applied>();
  /** Gateways whose parameters are invalid: their running objects are kept, even by the sweep. */
  private readonly held = new Set<string>();
  /** Namespaces whose client certificate Secret exists (created, or found). */
  private readonly secretNamespaces = new Set<string>();
  /** Gateways being reconciled right now (the queue's writes in flight). */
  private active = 0;
  /** Counts every Gateway queued: a sweep that sees it move stops, as its listing may be stale. */
  private queued = 0;
  private sweepPending = false;
  private sweeping: Promise<void> | undefined;
  private enabled = false;
  private readonly abort = new AbortController();
  private tick: NodeJS.Timeout | undefined;
  /** Shared by all Gateways: when the API server fails, every Gateway's retry slows down together. */
  private readonly backoff = new Backoff({ initialMs: 200, maxMs: 10_000, jitter: 0.2 });
  private readonly log: Logger;

  constructor(private readonly opts: InfraApplierOptions) {
    this.log = opts.logger;
    this.queue = new PublishQueue<null>(
      // Deletes never reach the queue: a deleted Gateway is a reconcile that finds it gone.
      { put: (key) => this.applyUntilDone(key), delete: async () => undefined },
      { concurrency: opts.concurrency ?? DEFAULT_INFRA_APPLY_CONCURRENCY },
    );
  }

  /** Gateways whose rendering may have changed (InfraInputs.update's answer). */
  changed(keys: readonly string[]): void {
    for (const k of keys) this.enqueue(k);
  }

  /**
   * Starts applying; call once the informers have synced, so the first rendering sees every
   * ProxyConfig and the cluster's IP families rather than a partial picture.
   */
  start(): void {
    if (this.enabled) return;
    this.enabled = true;
    // Catches what a moment without the Lease held back (renewal lagging past the deadline
    // without losing it), and a sweep that waited for the queue or failed.
    this.tick = setInterval(() => {
      this.releaseWaiting();
      this.maybeSweep();
    }, 500);
    this.tick.unref();
    this.resyncAll();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.tick);
    // Waiting reconciles see the abort and return at once; in-flight ones end with their request.
    await this.queue.flushed();
    await this.sweeping;
  }

  /** On gaining leadership (and at start): every Gateway is applied once more, then the cluster-wide sweep. */
  resyncAll(): void {
    this.applied.clear();
    this.secretNamespaces.clear();
    this.sweepPending = true;
    const keys = new Set([...this.waiting, ...this.opts.inputs.gateways.keys()]);
    this.waiting.clear();
    for (const key of keys) this.enqueue(key);
    void this.queue.flushed().then(() => this.maybeSweep());
  }

  /** True when nothing is waiting to be applied (tests and readiness detail). */
  get idle(): boolean {
    return this.enabled && this.active === 0 && this.queue.depth === 0 && this.waiting.size === 0 && !this.sweepPending && !this.sweeping;
  }

  private enqueue(key: string): void {
    if (this.abort.signal.aborted) return;
    if (!this.enabled || !this.opts.isLeader()) return void this.waiting.add(key);
    this.queued++;
    this.queue.put(key, null);
  }

  private releaseWaiting(): void {
    if (this.waiting.size === 0 || !this.opts.isLeader()) return;
    const keys = [...this.waiting];
    this.waiting.clear();
    for (const key of keys) this.enqueue(key);
  }

  /**
   * One Gateway, retried with backoff while we lead; never throws. Each attempt renders the
   * Gateway's current input, so a change that arrives meanwhile is what the retry applies
   * (and the queue runs the Gateway once more after it, which applies only what changed).
   */
  private async applyUntilDone(key: string): Promise<void> {
    const signal = this.abort.signal;
    this.active++;
    try {
      while (!signal.aborted) {
        if (!this.opts.isLeader()) return void this.waiting.add(key);
        try {
          await this.reconcile(key);
          this.backoff.reset();
          return;
        } catch (err) {
          if (signal.aborted) return;
          if (isPermanent(err)) {
            // Half applied: keep what runs (the sweep too) until the input changes.
            this.applied.delete(key);
            this.held.add(key);
            this.log.error({ err, gateway: key }, "the API server refused the Gateway's infrastructure; retried when its input changes");
            return;
          }
          this.log.warn({ err, gateway: key }, "applying infrastructure failed; retrying");
          await this.backoff.wait(signal);
        }
      }
    } finally {
      this.active--;
    }
  }

  /** Runs the cluster-wide sweep once every queued Gateway is applied, one sweep at a time. */
  private maybeSweep(): void {
    if (this.sweeping || !this.sweepPending || !this.enabled || this.abort.signal.aborted || !this.opts.isLeader()) return;
    if (this.active > 0 || this.queue.depth > 0 || this.waiting.size > 0) return;
    const signal = this.abort.signal;
    this.sweeping = (async () => {
      try {
        if (await this.sweep()) this.sweepPending = false;
        this.backoff.reset();
      } catch (err) {
        if (signal.aborted) return;
        this.log.warn({ err }, "orphan sweep failed; retrying");
        await this.backoff.wait(signal);
      }
    })().finally(() => {
      this.sweeping = undefined;
      // Stopped early (a Gateway arrived) or failed: again once the queue is empty.
      if (this.sweepPending) void this.queue.flushed().then(() => this.maybeSweep());
    });
  }

  private clusterFacts(): ClusterFacts {
    return {
      ipFamilies: this.opts.inputs.ipFamilies,
      xdsServer: this.opts.xdsServer ?? deployedXdsServer(this.opts.controlPlaneNamespace),
      controlPlaneNamespace: this.opts.controlPlaneNamespace,
    };
  }

  private async reconcile(key: string): Promise<void> {
    const { inputs } = this.opts;
    const gateway = inputs.gateways.get(key);
    const cls = gateway && inputs.classOf(gateway);
    if (!gateway || !cls) {
      this.held.delete(key);
      const before = this.applied.get(key);
      this.applied.delete(key);
      // A deleted Gateway's objects go with it (owner references). One that left our
      // classes keeps its owner, so what we applied for it is deleted here.
      if (gateway && before) await this.deleteOrphans(key, new Set());
      return;
    }
    const params = resolveProxyParameters(cls, gateway, inputs.lookup);
    if (!params.ok) {
      this.held.add(key);
      this.log.info({ gateway: key, reason: params.condition.message }, "invalid parameters: infrastructure left as it is");
      return;
    }
    this.held.delete(key);
    const rendered = renderInfrastructure(gateway, params.spec, this.clusterFacts());
    await this.ensureClientCertSecret(rendered.clientCertSecret);
    const before = this.applied.get(key);
    const applied: Applied = new Map();
    this.applied.set(key, applied);
    for (const obj of rendered.objects) {
      const id = infraObjectId(obj);
      const hash = renderedHash(obj);
      if (before?.get(id) !== hash) await this.apply(obj);
      applied.set(id, hash);
    }
    const renamed = before !== undefined && (before.size !== applied.size || [...before.keys()].some((id) => !applied.has(id)));
    if (renamed) await this.deleteOrphans(key, new Set(applied.keys()));
  }

  private async apply(obj: InfraObject): Promise<void> {
    const meta = obj.metadata!;
    await this.opts.client.patch(infraResourceOf(obj), meta.namespace, meta.name!, obj, APPLY_PATCH, { fieldManager: FIELD_MANAGER, force: true });
    this.opts.onWrite?.("apply", obj.kind);
    this.log.debug({ kind: obj.kind, namespace: meta.namespace, name: meta.name }, "applied");
  }

  /** Creates the empty Secret unless it exists; never updates it (cert-manager owns its data). */
  private async ensureClientCertSecret(secret: InfraObject): Promise<void> {
    const ns = secret.metadata!.namespace!;
    if (this.secretNamespaces.has(ns)) return;
    try {
      await this.opts.client.create(SECRET_RESOURCE, secret as ApiObject);
      this.opts.onWrite?.("create", "Secret");
      this.log.info({ namespace: ns, name: secret.metadata!.name }, "created the empty Envoy client certificate Secret for cert-manager");
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    this.secretNamespaces.add(ns);
  }

  /** Deletes the objects labelled as the Gateway's whose "Kind/name" is not in `keep`. */
  private async deleteOrphans(key: string, keep: ReadonlySet<string>): Promise<void> {
    const slash = key.indexOf("/");
    const gateway = { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    for (const r of INFRA_RESOURCES) {
      const { items } = await this.opts.client.list(r, { namespace: gateway.namespace, labelSelector: ownerSelector(gateway) });
      for (const item of items) if (!keep.has(infraObjectId(item))) await this.remove(item);
    }
  }

  /**
   * Once every Gateway is applied: objects labelled as our proxies that no Gateway of ours
   * renders now (a Gateway that left our classes while we were not leading, a name scheme
   * that changed) are deleted. Objects of Gateways with invalid parameters are kept.
   * Returns false when a Gateway changed meanwhile (the sweep runs again after it).
   */
  private async sweep(): Promise<boolean> {
    const queuedBefore = this.queued;
    const wanted = new Set<string>();
    for (const [key, applied] of this.applied) {
      const ns = key.slice(0, key.indexOf("/"));
      for (const id of applied.keys()) wanted.add(`${ns}/${id}`);
    }
    const heldOwners = new Set([...this.held].map((key) => {
      const slash = key.indexOf("/");
      return `${key.slice(0, slash)}/${labelValue(key.slice(slash + 1))}`;
    }));
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY},${COMPONENT_LABEL}=${PROXY_COMPONENT}`;
    let removed = 0;
    for (const r of INFRA_RESOURCES) {
      const { items } = await this.opts.client.list(r, { labelSelector: selector });
      for (const item of items) {
        const labels = item.metadata.labels ?? {};
        const owner = `${labels[OWNING_GATEWAY_NAMESPACE_LABEL] ?? ""}/${labels[OWNING_GATEWAY_NAME_LABEL] ?? ""}`;
        if (heldOwners.has(owner) || wanted.has(`${item.metadata.namespace}/${infraObjectId(item)}`)) continue;
        // A Gateway queued while we listed (even one already applied): its objects are not orphans.
        if (this.queued !== queuedBefore || this.active > 0 || this.waiting.size > 0) return false;
        await this.remove(item);
        removed++;
      }
    }
    if (removed > 0) this.log.info({ removed }, "deleted proxy objects no Gateway of ours renders");
    return true;
  }

  private async remove(item: ApiObject): Promise<void> {
    try {
      await this.opts.client.delete(infraResourceOf(item), item.metadata.namespace, item.metadata.name);
      this.opts.onWrite?.("delete", item.kind);
      this.log.info({ kind: item.kind, namespace: item.metadata.namespace, name: item.metadata.name }, "deleted orphaned proxy object");
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
