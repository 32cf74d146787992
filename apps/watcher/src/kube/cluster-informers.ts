// One Informer per kind Gatehouse reads from the cluster, each publishing its changes through
// the watcher's BusPublisher with managedFields and other noise stripped. Secrets and
// ConfigMaps have no cluster-wide informer: only those Gateways, ListenerSets and
// BackendTLSPolicies reference are watched, each by its own field-scoped informer
// (referenced-objects.ts).
// GatewayClasses are published only when their controllerName is ours; Deployments are
// watched by label (only our proxies') and published cut down (proxy-deployments.ts); every
// other kind is published whole (the translator already keeps only what hangs off our
// GatewayClasses).
// The bus is the watcher's store: its informers cache only identities and resourceVersions,
// and the kinds list one at a time (ListGate), so their lists' memory does not add up at start.
import type { Logger } from "pino";
import { encodeKey } from "@gatehouse/bus";
import { KINDS, objectRef, refId, stripNoise, type KindInfo, type KubeObject } from "@gatehouse/kube";
import { Informer, ListGate, type ApiObject, type InformerEventType, type KubeClient } from "@gatehouse/kube-client";
import type { BackoffOptions } from "@gatehouse/runtime";
import type { BusPublisher } from "../publish/bus-publisher";
import { LABEL_SELECTED_KINDS, summaryOf } from "./proxy-deployments";
import { REFERENCED_KINDS, ReferenceTable, referencesOf, REFERRING_KINDS, type ObjectReference } from "./referenced-objects";

/** Kinds of the KINDS table the cluster provider does not watch (see above). */
export const UNWATCHED_KINDS: ReadonlySet<string> = new Set(["Secret", "ConfigMap"]);

export interface ClusterInformersOptions {
  client: KubeClient;
  publisher: BusPublisher;
  /** Our GatewayClass controllerName. */
  controllerName: string;
  logger: Logger;
  backoff?: BackoffOptions;
  watchTimeoutSeconds?: () => number;
  /** Kinds to watch; default every kind of KINDS but UNWATCHED_KINDS. */
  kinds?: readonly KindInfo[];
  /** Every change of a watched kind, as seen (the infrastructure applier's input). */
  onChange?: (type: InformerEventType, object: ApiObject) => void;
}

export class ClusterInformers {
  private readonly informers = new Map<string, Informer>();
  /** Field-scoped informers of referenced Secrets and ConfigMaps, by refId. */
  private readonly refInformers = new Map<string, Informer>();
  private readonly references = new ReferenceTable();
  private stopped = false;
  private readonly stateWaiters = new Set<() => void>();
  /** Bus keys of the objects currently published. */
  private readonly published = new Set<string>();
  /** The last published cut-down form (as JSON) by bus key, so an unchanged one is not put again. */
  private readonly summaries = new Map<string, string>();
  /**
   * Kinds whose last list found no resource (CRD not installed), until they list: an
   * informer retrying a missing kind passes through "backoff" and "listing", which must not
   * make the kind look pending again (readiness would flap with every retry).
   */
  private readonly missing = new Set<string>();

  constructor(private readonly opts: ClusterInformersOptions) {
    const kinds = opts.kinds ?? KINDS.filter((k) => !UNWATCHED_KINDS.has(k.kind));
    const listGate = new ListGate();
    for (const kind of kinds) {
      const log = opts.logger.child({ informer: kind.kind });
      this.informers.set(
        kind.kind,
        new Informer({
          client: opts.client,
          resource: kind,
          labelSelector: LABEL_SELECTED_KINDS[kind.kind],
          cache: "identity",
          listGate,
          logger: log,
          backoff: opts.backoff,
          watchTimeoutSeconds: opts.watchTimeoutSeconds,
          onEvent: (e) => {
            if (e.type === "deleted") this.withdraw(e.object);
            else this.publish(e.object);
            if (REFERRING_KINDS.has(kind.kind)) this.updateReferences(e.object, e.type === "deleted" ? [] : referencesOf(e.object));
            opts.onChange?.(e.type, e.object);
          },
          onStateChange: (state) => {
            if (state.phase === "missing") this.missing.add(kind.kind);
            else if (state.synced) this.missing.delete(kind.kind);
            this.onState();
          },
        }),
      );
    }
  }

  start(): void {
    for (const inf of this.informers.values()) inf.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values(), ...this.refInformers.values()].map((i) => i.stop()));
  }

  /** Kinds whose resource the API server does not serve (CRD not installed). */
  missingKinds(): string[] {
    return [...this.informers].filter(([k, i]) => !i.synced && this.missing.has(k)).map(([k]) => k);
  }

  /** Kinds (and referenced objects) neither synced nor known missing. */
  pendingKinds(): string[] {
    return [...this.informers, ...this.refInformers].filter(([k, i]) => !i.synced && !this.missing.has(k) && i.state.phase !== "missing").map(([k]) => k);
  }

  /** True once every kind has listed (a missing CRD counts as settled: it holds no objects). */
  get settled(): boolean {
    return this.pendingKinds().length === 0;
  }

  /** Resolves once settled. */
  whenSettled(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!this.settled && !signal?.aborted) return;
        this.stateWaiters.delete(check);
        resolve();
      };
      this.stateWaiters.add(check);
      signal?.addEventListener("abort", check, { once: true });
      check();
    });
  }

  /** Whether the cluster holds (as last seen) the object of this bus key and it is published. */
  holds(key: string): boolean {
    return this.published.has(key);
  }

  private wanted(obj: ApiObject): boolean {
    if (obj.kind !== "GatewayClass") return true;
    return (obj as { spec?: { controllerName?: string } }).spec?.controllerName === this.opts.controllerName;
  }

  private publish(obj: ApiObject): void {
    // A GatewayClass handed to another controller is withdrawn (a delete of an absent key is harmless).
    if (!this.wanted(obj)) return this.withdraw(obj);
    const summary = summaryOf(obj);
    const clean = summary ?? (stripNoise(obj) as KubeObject);
    const ref = objectRef(clean);
    const key = encodeKey(ref);
    if (summary) {
      const json = JSON.stringify(summary);
      if (this.summaries.get(key) === json) return;
      this.summaries.set(key, json);
    }
    this.published.add(key);
    this.opts.publisher.put(ref, clean, `kubernetes:${this.opts.client.server}`);
  }

  private withdraw(obj: ApiObject): void {
    const ref = objectRef(obj);
    const key = encodeKey(ref);
    this.published.delete(key);
    this.summaries.delete(key);
    this.opts.publisher.delete(ref);
  }

  private updateReferences(owner: ApiObject, refs: ObjectReference[]): void {
    if (this.stopped) return;
    const { added, removed } = this.references.update(encodeKey(objectRef(owner)), refs);
    for (const ref of removed) {
      const id = refId(ref);
      void this.refInformers.get(id)?.stop();
      this.refInformers.delete(id);
      this.withdraw({ apiVersion: "v1", kind: ref.kind, metadata: { namespace: ref.namespace, name: ref.name } });
    }
    for (const ref of added) {
      const id = refId(ref);
      const informer = new Informer({
        client: this.opts.client,
        resource: REFERENCED_KINDS[ref.kind],
        namespace: ref.namespace,
        fieldSelector: `metadata.name=${ref.name}`,
        cache: "identity",
        logger: this.opts.logger.child({ informer: id }),
        backoff: this.opts.backoff,
        watchTimeoutSeconds: this.opts.watchTimeoutSeconds,
        onEvent: (e) => (e.type === "deleted" ? this.withdraw(e.object) : this.publish(e.object)),
        onStateChange: () => this.onState(),
      });
      this.refInformers.set(id, informer);
      informer.start();
    }
  }

  /** The informer itself logs a missing CRD; here only the settled waiters are woken. */
  private onState(): void {
    for (const w of [...this.stateWaiters]) w();
  }
}
