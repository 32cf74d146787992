// One informer per resource: list, then watch from the list's resourceVersion with bookmarks
// (so a quiet resource's resourceVersion stays fresh and a reconnect rarely needs a relist);
// on 410 Gone relist and emit a delete for every object that vanished meanwhile; on any other
// failure wait (one Backoff) and go on: rewatch from the last resourceVersion, or relist when
// there is none. A resource the server does not serve (404: a CRD not installed yet) is
// reported as `missing` and retried the same way, so a CRD installed later is picked up.
//
// Why not client-node's ListWatch/makeInformer: it never asks for bookmarks, has no
// timeoutSeconds, stops for good on any error other than 410 (the caller must restart it and
// cannot tell a missing resource from a broken connection), and cannot be stopped mid-list.
//
// The cache holds whole objects by default. An informer that only forwards changes (the
// watcher, whose store is the bus) keeps just each object's identity and resourceVersion
// (`cache: "identity"`): that is all a relist needs to skip unchanged objects and to name
// the ones that vanished, and it keeps memory flat in the size of the objects (whole
// objects with managedFields cost about 3.6 KiB of heap each; kube-sync benchmark).
import { Backoff, type BackoffOptions, type Logger } from "@gatehouse/runtime";
import { isGone, isNotFound, KubeApiError } from "./api-error";
import type { ApiObject, ApiResourceRef } from "./api-resource";
import type { KubeClient, WatchEventType } from "./kube-client";
import type { ListGate } from "./list-gate";

export type InformerEventType = "added" | "modified" | "deleted";

export interface InformerEvent<T extends ApiObject = ApiObject> {
  type: InformerEventType;
  object: T;
}

export type InformerPhase = "starting" | "listing" | "watching" | "missing" | "backoff" | "stopped";

export interface InformerState {
  phase: InformerPhase;
  /** True once the first list was delivered; stays true across relists and reconnects. */
  synced: boolean;
  resourceVersion: string;
  /** The last failure, for readiness detail and logs. */
  lastError?: string;
}

export interface InformerOptions<T extends ApiObject = ApiObject> {
  client: KubeClient;
  resource: ApiResourceRef;
  /** Only this namespace (all when unset). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Called in order, synchronously, for every change; queue there if handling is slow. */
  onEvent: (event: InformerEvent<T>) => void;
  /** Called when the phase changes (for readiness and logs). */
  onStateChange?: (state: InformerState) => void;
  logger?: Logger;
  backoff?: BackoffOptions;
  /** Server-side watch timeout; default 5 to 10 min at random, like client-go. */
  watchTimeoutSeconds?: () => number;
  /** A watch that ends this fast without any event counts as a failure (backoff), so a server that closes every watch at once is not hammered. */
  minWatchMs?: number;
  /**
   * What the cache keeps of each object: all of it (default; list() and get() return the
   * objects), or only apiVersion, kind, and metadata namespace, name, uid and resourceVersion.
   * With "identity", list() and get() return those stubs, and the `deleted` event of an object
   * found gone on a relist carries its stub (a watch's DELETED event still carries the object).
   */
  cache?: "objects" | "identity";
  /** Lists (not watches) wait for their turn at this gate, shared with other informers (list-gate.ts). */
  listGate?: ListGate;
}

type WatchEnd = { kind: "ended"; sawEvents: boolean } | { kind: "gone" } | { kind: "failed"; error: unknown };

const keyOf = (o: ApiObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** What an "identity" cache keeps of an object. */
function identityOf<T extends ApiObject>(o: T): T {
  const { namespace, name, uid, resourceVersion } = o.metadata;
  const metadata = { name, ...(namespace === undefined ? {} : { namespace }), ...(uid === undefined ? {} : { uid }), ...(resourceVersion === undefined ? {} : { resourceVersion }) };
  return { apiVersion: o.apiVersion, kind: o.kind, metadata } as T;
}

export class Informer<T extends ApiObject = ApiObject> {
  private readonly cache = new Map<string, T>();
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private current: InformerState = { phase: "starting", synced: false, resourceVersion: "" };
  private loop: Promise<void> | undefined;
  private activeWatch: AbortController | undefined;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(private readonly opts: InformerOptions<T>) {
    this.backoff = new Backoff(opts.backoff ?? { initialMs: 500, maxMs: 30_000, jitter: 0.2 });
  }

  get state(): InformerState {
    return { ...this.current };
  }

  get synced(): boolean {
    return this.current.synced;
  }

  /** The objects as last seen (the informer's cache). */
  list(): T[] {
    return [...this.cache.values()];
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(`${namespace ?? ""}/${name}`);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.activeWatch?.abort();
    await this.loop;
    this.setState({ phase: "stopped" });
  }

  /** Resolves once synced; rejects after `timeoutMs`. */
  waitForSync(timeoutMs: number): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.opts.resource.kind} informer not synced after ${timeoutMs} ms (${this.current.phase}${this.current.lastError ? `: ${this.current.lastError}` : ""})`)), timeoutMs);
      this.syncWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async run(): Promise<void> {
    const log = this.opts.logger;
    let rv = "";
    while (!this.abort.signal.aborted) {
      try {
        if (!rv) rv = await this.relist();
        const started = Date.now();
        const end = await this.watchFrom(rv, (newRv) => (rv = newRv));
        if (this.abort.signal.aborted) break;
        if (end.kind === "gone") {
          log?.info({ resourceVersion: rv }, "watch resourceVersion too old (410 Gone); relisting");
          rv = "";
          continue;
        }
        if (end.kind === "failed") throw end.error;
        if (end.sawEvents || Date.now() - started >= (this.opts.minWatchMs ?? 1000)) {
          this.backoff.reset();
          continue;
        }
        this.setState({ phase: "backoff" });
        await this.backoff.wait(this.abort.signal);
      } catch (err) {
        if (this.abort.signal.aborted) break;
        const message = err instanceof Error ? err.message : String(err);
        if (isNotFound(err)) {
          if (this.current.phase !== "missing") log?.warn({ error: message }, "resource not served by the API server (CRD not installed?); retrying");
          this.setState({ phase: "missing", lastError: message });
          rv = "";
        } else {
          log?.warn({ error: message, attempt: this.backoff.attempts + 1 }, "list/watch failed; retrying with backoff");
          this.setState({ phase: "backoff", lastError: message });
        }
        await this.backoff.wait(this.abort.signal);
      }
    }
  }

  /** Lists (at the gate's turn, if any), reconciles the cache with the result (emitting adds, updates and deletes) and returns the list's resourceVersion ("" when stopped meanwhile). */
  private async relist(): Promise<string> {
    const gate = this.opts.listGate;
    if (!gate) return this.listAndReconcile();
    return (await gate.run(() => this.listAndReconcile(), this.abort.signal)) ?? "";
  }

  private async listAndReconcile(): Promise<string> {
    this.setState({ phase: "listing" });
    const { client, resource, namespace, labelSelector, fieldSelector } = this.opts;
    const list = await client.list<T>(resource, { namespace, labelSelector, fieldSelector });
    if (this.abort.signal.aborted) return "";
    const seen = new Set<string>();
    for (const obj of list.items) {
      seen.add(keyOf(obj));
      this.upsert(obj);
    }
    for (const [key, obj] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit({ type: "deleted", object: obj });
      }
    }
    this.backoff.reset();
    this.setState({ synced: true, resourceVersion: list.resourceVersion, lastError: undefined });
    return list.resourceVersion;
  }

  private async watchFrom(rv: string, advance: (rv: string) => void): Promise<WatchEnd> {
    const { client, resource, namespace, labelSelector, fieldSelector } = this.opts;
    this.setState({ phase: "watching", resourceVersion: rv });
    let sawEvents = false;
    let result: WatchEnd | undefined;
    let finish!: (end: WatchEnd) => void;
    const done = new Promise<WatchEnd>((resolve) => (finish = resolve));
    const onEvent = (type: WatchEventType, obj: Record<string, unknown>) => {
      if (result || this.abort.signal.aborted) return;
      if (type === "ERROR") {
        const status = obj as { code?: number; reason?: string; message?: string };
        result = status.code === 410 ? { kind: "gone" } : { kind: "failed", error: new KubeApiError(status.code ?? 500, status.reason ?? "Unknown", `watch ${resource.plural}: ${status.message ?? "error event"}`) };
        this.activeWatch?.abort();
        return;
      }
      const o = obj as unknown as T;
      const newRv = o.metadata?.resourceVersion;
      if (type === "ADDED" || type === "MODIFIED") this.upsert(o);
      else if (type === "DELETED") this.remove(o);
      if (type !== "BOOKMARK") sawEvents = true;
      if (newRv) {
        advance(newRv);
        this.current.resourceVersion = newRv;
      }
    };
    const onDone = (err: unknown) => {
      if (result) return finish(result);
      if (!err || (err as Error).name === "TimeoutError" || (err as Error).name === "AbortError") return finish({ kind: "ended", sawEvents });
      const code = (err as { statusCode?: number }).statusCode;
      if (code === 410) return finish({ kind: "gone" });
      if (code === 404) return finish({ kind: "failed", error: new KubeApiError(404, "NotFound", `watch ${resource.plural}: 404`) });
      finish({ kind: "failed", error: err });
    };
    const timeoutSeconds = this.opts.watchTimeoutSeconds?.() ?? Math.round(300 * (1 + Math.random()));
    this.activeWatch = await client.watch(resource, { namespace, labelSelector, fieldSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds }, onEvent, onDone);
    if (this.abort.signal.aborted) this.activeWatch.abort();
    const end = await done;
    this.activeWatch = undefined;
    return end.kind === "failed" && isGone(end.error) ? { kind: "gone" } : end;
  }

  private upsert(obj: T): void {
    const key = keyOf(obj);
    const old = this.cache.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.cache.set(key, this.opts.cache === "identity" ? identityOf(obj) : obj);
    this.emit({ type: old ? "modified" : "added", object: obj });
  }

  private remove(obj: T): void {
    const key = keyOf(obj);
    if (!this.cache.delete(key)) return;
    this.emit({ type: "deleted", object: obj });
  }

  /** A throwing handler is a bug in the caller: logged, never allowed to break the stream (client-node's Watch would swallow it). */
  private emit(event: InformerEvent<T>): void {
    try {
      this.opts.onEvent(event);
    } catch (err) {
      this.opts.logger?.error({ err, type: event.type, namespace: event.object.metadata.namespace, name: event.object.metadata.name }, "informer event handler threw");
    }
  }

  private setState(patch: Partial<InformerState>): void {
    const before = this.current;
    this.current = { ...before, ...patch };
    if (this.current.synced && !before.synced) for (const w of this.syncWaiters.splice(0)) w();
    if (this.current.phase !== before.phase || this.current.synced !== before.synced) this.opts.onStateChange?.(this.state);
  }
}
