// What SotW and Delta streams share: per-type subscription and "what the client holds"
// state, change tracking from the cache, ACK/NACK bookkeeping, and the send loop that keeps
// make-before-break order. Subclasses parse requests and shape responses; this module
// decides what must go out and when.
import { TYPE_URLS } from "@gatehouse/xds";
import { clusterEdsName, compareTypeUrls, type CacheChange, type ResourceCache, type XdsResource } from "../cache/index";
import { status as GrpcStatus, type ServerDuplexStream } from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { NodeInfo, RpcStatus } from "./discovery-messages";
import type { XdsEventHub, XdsProtocol, StreamIdentity } from "./events";
import type { XdsMetrics } from "./metrics";
import type { NackMemory } from "./nack-memory";
import { Subscription, type SubscriptionDelta } from "./subscription";

export interface StreamContext {
  readonly cache: ResourceCache;
  readonly logger: Logger;
  readonly metrics: XdsMetrics;
  readonly events: XdsEventHub;
  readonly nacks: NackMemory;
  readonly groupOf: (node: NodeInfo) => string;
}

/** A resource as the client holds it: Delta's initial_resource_versions give only versions. */
export interface HeldEntry {
  readonly version: string;
  readonly resource?: XdsResource;
}

export interface Outstanding {
  readonly nonce: string;
  readonly version: string;
  readonly upserts: ReadonlyArray<readonly [string, string]>;
  readonly removals: readonly string[];
  /** Names of every resource the response carried. */
  readonly names: readonly string[];
  readonly sentAt: number;
}

export interface TypeState {
  readonly typeUrl: string;
  readonly subscription: Subscription;
  started: boolean;
  /** What the client holds, as far as this stream has told it. */
  readonly held: Map<string, HeldEntry>;
  /** Names whose state may differ from what the client holds. */
  readonly dirty: Set<string>;
  /** Re-examine every name (a new subscription, a wildcard change). */
  dirtyAll: boolean;
  /** Names to send even when the client already holds the version (asked again). */
  readonly forced: Set<string>;
  /** SotW: answer the first request of the type even when there is nothing in it. */
  mustRespond: boolean;
  outstanding?: Outstanding;
  sentVersion: string;
  ackedVersion: string;
  lastResponseNacked: boolean;
  lastNack?: { version: string; message: string; at: Date };
}

export interface Diff {
  readonly upserts: XdsResource[];
  /** Names the client must be told are gone. */
  readonly removals: string[];
  /** Names forgotten without telling the client (unsubscribed, or not expressible). */
  readonly drops: string[];
  /** Removals held back until nothing the client runs can still reference them. */
  readonly deferred: string[];
}

export interface TypeStatus {
  readonly wildcard: boolean;
  readonly subscribedNames: number;
  readonly heldResources: number;
  readonly sentVersion: string;
  readonly ackedVersion: string;
  readonly awaitingAck: boolean;
  readonly lastNack?: { version: string; message: string; at: string };
}

export interface StreamStatus extends StreamIdentity {
  readonly connectedAt: string;
  readonly types: Readonly<Record<string, TypeStatus>>;
}

/** Types whose removals wait for listeners and routes to stop referencing them. */
const BARRIER_TYPES = new Set<string>([TYPE_URLS.cluster, TYPE_URLS.endpoint]);
/** Types that reference clusters (and secrets). */
const REFERRING_TYPES: readonly string[] = [TYPE_URLS.listener, TYPE_URLS.route];
/** Types whose changes listeners and routes wait for (endpoints are not: they churn). */
const PREREQUISITE_TYPES = new Set<string>([TYPE_URLS.secret, TYPE_URLS.cluster]);

export abstract class AdsStream<Req = unknown, Res = unknown> {
  abstract readonly protocol: XdsProtocol;
  nodeId = "";
  group = "";
  readonly connectedAt = new Date();
  protected readonly types = new Map<string, TypeState>();
  /** The same states in xDS send order. */
  private ordered: TypeState[] = [];
  protected log: Logger;
  /** Debug logging is per message: skip building its fields when it is off. */
  protected readonly debug: boolean;
  private nonceCounter = 0;
  private unwatch?: () => void;
  private flushScheduled = false;
  private closed = false;

  readonly peer: string;

  constructor(
    protected readonly ctx: StreamContext,
    readonly streamId: number,
    protected readonly call: ServerDuplexStream<Req, Res>,
  ) {
    this.peer = call.getPeer();
    this.log = ctx.logger.child({ streamId, peer: this.peer });
    this.debug = this.log.isLevelEnabled("debug");
  }

  private identityCache?: StreamIdentity;

  /** Who this stream is (fixed once the first request named the node). */
  get identity(): StreamIdentity {
    if (this.identityCache) return this.identityCache;
    const id = { streamId: this.streamId, nodeId: this.nodeId, group: this.group, protocol: this.protocol, peer: this.peer };
    if (this.group) this.identityCache = id;
    return id;
  }

  /** Takes the node from the first request. Returns an error message when the stream must be refused. */
  protected identify(node: NodeInfo | null | undefined): string | undefined {
    if (this.group) return undefined;
    if (!node) return "the first request of a stream must carry a node";
    const group = this.ctx.groupOf(node);
    if (!group) return "node.cluster is empty: it must name the proxy's Gateway";
    this.nodeId = node.id ?? "";
    this.group = group;
    this.log = this.log.child({ nodeId: this.nodeId, group, protocol: this.protocol });
    this.unwatch = this.ctx.cache.watch(group, (changes) => this.onCacheChanges(changes));
    this.ctx.metrics.streamOpened(this.protocol);
    this.log.info("proxy connected");
    this.ctx.events.emit("onConnect", { ...this.identity, at: this.connectedAt });
    return undefined;
  }

  /**
   * Starts handling a request: identifies the node (refusing the stream when it cannot be)
   * and returns the state of the requested type, or undefined when there is nothing to do.
   */
  protected requestedType(node: NodeInfo | null | undefined, typeUrl: string | null | undefined): TypeState | undefined {
    const refused = this.identify(node);
    if (refused) {
      this.log.warn({ reason: refused }, "stream refused");
      this.call.emit("error", { code: GrpcStatus.INVALID_ARGUMENT, details: refused });
      this.close(refused);
      return undefined;
    }
    if (!typeUrl) {
      this.log.warn("request without type_url ignored");
      return undefined;
    }
    return this.typeState(typeUrl);
  }

  /** A later request changed the subscription: added names go out even when the client holds them. */
  protected applySubscriptionChange(st: TypeState, change: SubscriptionDelta): void {
    for (const n of change.added) {
      st.dirty.add(n);
      st.forced.add(n);
    }
    for (const n of change.removed) st.dirty.add(n);
    if (change.wildcardChanged) st.dirtyAll = true;
  }

  protected typeState(typeUrl: string): TypeState {
    let st = this.types.get(typeUrl);
    if (!st) {
      st = {
        typeUrl,
        subscription: new Subscription(),
        started: false,
        held: new Map(),
        dirty: new Set(),
        dirtyAll: false,
        forced: new Set(),
        mustRespond: false,
        sentVersion: "",
        ackedVersion: "",
        lastResponseNacked: false,
      };
      this.types.set(typeUrl, st);
      this.ordered = [...this.types.values()].sort((a, b) => compareTypeUrls(a.typeUrl, b.typeUrl));
    }
    return st;
  }

  protected nextNonce(): string {
    return String(++this.nonceCounter);
  }

  private onCacheChanges(changes: readonly CacheChange[]): void {
    for (const c of changes) {
      const st = this.types.get(c.typeUrl);
      if (!st?.started) continue;
      for (const name of c.upserted) if (st.subscription.matches(name) || st.held.has(name)) st.dirty.add(name);
      for (const name of c.removed) if (st.held.has(name)) st.dirty.add(name);
    }
    this.scheduleFlush();
  }

  /** True when some type has changes that waited for this ACK (or for anything). */
  private hasPendingWork(): boolean {
    for (const st of this.types.values()) {
      if (st.started && (st.dirtyAll || st.dirty.size || st.forced.size || st.mustRespond)) return true;
    }
    return false;
  }

  /** Coalesces every change of this turn of the event loop into one pass. */
  scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.closed) this.flush();
    });
  }

  /**
   * Sends what each type needs, in xDS order (secrets, clusters, endpoints, listeners,
   * routes). A type waiting for an ACK with changes still to send holds back every later
   * type, so a listener never arrives before the cluster it uses.
   */
  private flush(): void {
    if (!this.group) return;
    // New or changed clusters and secrets in flight (sent, not yet ACKed) hold back listeners
    // and routes: the proxy has applied what they reference before it sees them.
    let prerequisitesInFlight = false;
    for (const st of this.ordered) {
      if (!st.started) continue;
      if (prerequisitesInFlight && REFERRING_TYPES.includes(st.typeUrl)) break;
      const diff = this.diff(st);
      if (!st.outstanding) {
        const work = diff.upserts.length || diff.removals.length || diff.drops.length || st.mustRespond || st.dirtyAll || st.dirty.size;
        if (work) this.respond(st, diff);
      } else if (diff.upserts.length > 0) {
        break;
      }
      if (st.outstanding?.upserts.length && PREREQUISITE_TYPES.has(st.typeUrl)) prerequisitesInFlight = true;
    }
  }

  /** What the client of this type must be sent now; pure (commit() applies it). */
  protected diff(st: TypeState): Diff {
    const upserts: XdsResource[] = [];
    const removals: string[] = [];
    const drops: string[] = [];
    const deferred: string[] = [];
    const resources = this.ctx.cache.resources(this.group, st.typeUrl);
    let names: Iterable<string>;
    if (st.dirtyAll) {
      const all = new Set<string>(st.held.keys());
      for (const n of st.subscription.names) all.add(n);
      if (st.subscription.wildcard) for (const n of resources.keys()) all.add(n);
      for (const n of st.forced) all.add(n);
      names = all;
    } else {
      names = st.forced.size ? new Set([...st.dirty, ...st.forced]) : st.dirty;
    }
    let removalAllowed: boolean | undefined;
    for (const name of names) {
      const subscribed = st.subscription.matches(name);
      const current = subscribed ? resources.get(name) : undefined;
      const held = st.held.get(name);
      if (current) {
        const forced = st.forced.has(name);
        if (held?.version === current.version && !forced) continue;
        if (!forced && this.isRejected(st, current)) continue;
        upserts.push(current);
      } else if (held) {
        if (!subscribed || this.removalIsSilent(st)) drops.push(name);
        else if (BARRIER_TYPES.has(st.typeUrl) && !(removalAllowed ??= this.referrersSettled())) deferred.push(name);
        else removals.push(name);
      }
    }
    return { upserts, removals, drops, deferred };
  }

  /**
   * True when listeners and routes hold nothing newer to send, nothing unacknowledged and no
   * rejected response: then what the proxy runs is what the cache says, and a cluster that
   * the cache dropped is referenced by nothing the proxy runs.
   */
  private referrersSettled(): boolean {
    for (const typeUrl of REFERRING_TYPES) {
      const st = this.types.get(typeUrl);
      if (!st?.started) continue;
      if (st.outstanding || st.lastResponseNacked) return false;
      const d = this.diff(st);
      if (d.upserts.length || d.removals.length) return false;
    }
    return true;
  }

  /** Applies a diff to what the client holds, once its response is written (or not needed). */
  protected commit(st: TypeState, diff: Diff, outstanding?: Outstanding): void {
    for (const r of diff.upserts) st.held.set(r.name, { version: r.version, resource: r });
    for (const n of diff.removals) st.held.delete(n);
    for (const n of diff.drops) st.held.delete(n);
    st.dirty.clear();
    for (const n of diff.deferred) st.dirty.add(n);
    st.dirtyAll = false;
    st.forced.clear();
    st.mustRespond = false;
    if (outstanding) {
      st.outstanding = outstanding;
      st.sentVersion = outstanding.version;
    }
    if (st.typeUrl === TYPE_URLS.cluster && diff.upserts.length) this.followClustersWithEndpoints(diff.upserts);
  }

  /** Envoy warms a changed EDS cluster until it gets a ClusterLoadAssignment: send one. */
  private followClustersWithEndpoints(clusters: readonly XdsResource[]): void {
    const eds = this.types.get(TYPE_URLS.endpoint);
    if (!eds?.started) return;
    for (const c of clusters) {
      const name = clusterEdsName(c);
      if (name && eds.subscription.matches(name) && this.ctx.cache.get(this.group, TYPE_URLS.endpoint, name)) {
        eds.forced.add(name);
        eds.dirty.add(name);
      }
    }
  }

  /**
   * Handles the nonce of a request. Returns "stale" when it does not answer the response the
   * stream waits for (the request's subscription change still applies).
   */
  protected acknowledge(st: TypeState, nonce: string, error: RpcStatus | null | undefined): "ack" | "nack" | "stale" {
    const out = st.outstanding;
    if (!out || out.nonce !== nonce) {
      if (this.debug) this.log.debug({ typeUrl: st.typeUrl, nonce, expected: out?.nonce }, "stale nonce: not answered");
      return "stale";
    }
    st.outstanding = undefined;
    this.ctx.metrics.observeAckLatency(st.typeUrl, (performance.now() - out.sentAt) / 1000);
    if (error) {
      const at = new Date();
      const message = error.message ?? "";
      st.lastResponseNacked = true;
      st.lastNack = { version: out.version, message, at };
      this.ctx.metrics.countNack(st.typeUrl);
      this.rememberRejection(st, out);
      const resourceNames = out.names;
      this.log.warn(
        { typeUrl: st.typeUrl, version: out.version, ackedVersion: st.ackedVersion, nonce, code: error.code ?? 0, error: message, resources: resourceNames },
        "proxy rejected configuration (NACK); it keeps its last accepted version",
      );
      this.ctx.events.emit("onNack", {
        ...this.identity,
        typeUrl: st.typeUrl,
        version: out.version,
        nonce,
        at,
        ackedVersion: st.ackedVersion,
        errorCode: error.code ?? 0,
        errorMessage: message,
        resourceNames,
      });
      if (this.hasPendingWork()) this.scheduleFlush();
      return "nack";
    }
    st.lastResponseNacked = false;
    st.ackedVersion = out.version;
    this.ctx.metrics.countAck(st.typeUrl);
    this.forgetRejection(st, out);
    if (this.debug) this.log.debug({ typeUrl: st.typeUrl, version: out.version, nonce }, "ACK");
    if (this.ctx.events.has("onAck")) this.ctx.events.emit("onAck", { ...this.identity, typeUrl: st.typeUrl, version: out.version, nonce, at: new Date() });
    if (this.hasPendingWork()) this.scheduleFlush();
    return "ack";
  }

  /**
   * Records a response about to be written: what the client will hold, the ACK it awaits,
   * metrics and the response hook. `resources` are all the response carries.
   */
  protected recordResponse(st: TypeState, diff: Diff, resources: readonly XdsResource[], nonce: string, version: string): void {
    const out: Outstanding = {
      nonce,
      version,
      upserts: diff.upserts.map((r) => [r.name, r.version] as const),
      removals: diff.removals,
      names: resources.map((r) => r.name),
      sentAt: performance.now(),
    };
    this.commit(st, diff, out);
    this.countResponse(st.typeUrl, resources, out);
  }

  /** Records a written response: metrics, the bytes it carried, the response hook. */
  private countResponse(typeUrl: string, resources: readonly XdsResource[], out: Outstanding): void {
    let bytes = 0;
    for (const r of resources) bytes += r.bytes.byteLength;
    this.ctx.metrics.countResponse(typeUrl, this.protocol, resources.length, bytes);
    if (this.ctx.events.has("onResponse")) {
      this.ctx.events.emit("onResponse", {
        ...this.identity,
        typeUrl,
        version: out.version,
        nonce: out.nonce,
        resources: resources.length,
        removed: out.removals.length,
        bytes,
      });
    }
  }

  /** Handles a request of the client (its protocol's message). */
  abstract onRequest(req: Req): void;
  /** Writes what a diff calls for (or commits it silently when nothing is to be said). */
  protected abstract respond(st: TypeState, diff: Diff): void;
  /** Whether a removal of a held, subscribed resource cannot be expressed to the client. */
  protected abstract removalIsSilent(st: TypeState): boolean;
  /** Whether the node rejected exactly this resource before (so it is not sent again). */
  protected abstract isRejected(st: TypeState, resource: XdsResource): boolean;
  protected abstract rememberRejection(st: TypeState, out: Outstanding): void;
  protected abstract forgetRejection(st: TypeState, out: Outstanding): void;

  status(): StreamStatus {
    const types: Record<string, TypeStatus> = {};
    for (const st of [...this.types.values()].sort((a, b) => compareTypeUrls(a.typeUrl, b.typeUrl))) {
      types[st.typeUrl] = {
        wildcard: st.subscription.wildcard,
        subscribedNames: st.subscription.names.size,
        heldResources: st.held.size,
        sentVersion: st.sentVersion,
        ackedVersion: st.ackedVersion,
        awaitingAck: st.outstanding !== undefined,
        lastNack: st.lastNack && { ...st.lastNack, at: st.lastNack.at.toISOString() },
      };
    }
    return { ...this.identity, connectedAt: this.connectedAt.toISOString(), types };
  }

  ackedVersions(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const st of this.types.values()) if (st.ackedVersion) out[st.typeUrl] = st.ackedVersion;
    return out;
  }

  /** Stops watching the cache and reports the disconnection (once). */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.unwatch?.();
    if (!this.group) return;
    this.ctx.metrics.streamClosed(this.protocol);
    this.log.info({ reason }, "proxy disconnected");
    this.ctx.events.emit("onDisconnect", { ...this.identity, at: new Date(), ackedVersions: this.ackedVersions() });
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
