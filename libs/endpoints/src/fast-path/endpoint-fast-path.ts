// The endpoint fast path of the xds-server: EndpointSlice events in, ClusterLoadAssignments
// of exactly the clusters that use the slice's Service out, into the ADS cache as
// incremental upserts (so Delta streams send just those, and only to proxies subscribed
// to them). Pushes are at most one per window: an event after a quiet window goes out on
// the next turn of the event loop, and events arriving within the window after a push are
// coalesced per cluster into the next one (PushPacer widens the window when pushes are
// expensive or the process is busy). The assignment is computed from the index when the
// push happens, so the latest state always wins and nothing is reordered. It never sees
// the IR beyond each Gateway's cluster list.
import type { Logger } from "pino";
import { Histogram, register as defaultRegistry, type Registry } from "prom-client";
import type { Cluster, GatewayIR, IPFamily, LocalityEndpoints } from "@gatehouse/ir";
import { gatewayKey } from "@gatehouse/ir";
import { xdsResource, type ResourceCache, type XdsResource } from "@gatehouse/ads";
import { ClaEncoder, TYPE_URLS } from "@gatehouse/xds";
import type { EndpointSlice } from "../endpoint-slice";
import { ServiceEndpointsIndex, type ClusterRegistration } from "../service-endpoints-index";
import { PushPacer } from "./push-pacer";

export interface EndpointFastPathOptions {
  cache: ResourceCache;
  logger: Logger;
  /** Coalescing window in milliseconds (0: flush on the next turn of the event loop). */
  windowMs?: number;
  /** The most a busy process widens the spacing of pushes to (ms; see PushPacer). */
  maxWindowMs?: number;
  /** Load probe for the pacer (tests); event-loop utilization by default. */
  load?: () => number;
  /** IP family of proxies whose Gateway IR does not say (the cluster's default). */
  defaultFamily?: IPFamily;
  /** Where the push latency histogram is registered (prom-client's default registry). */
  registry?: Registry;
  /** Clock in milliseconds; performance.now() unless a test says otherwise. */
  now?: () => number;
}

export const DEFAULT_ENDPOINT_WINDOW_MS = 5;
export const DEFAULT_ENDPOINT_MAX_WINDOW_MS = 50;

const METRIC = "gatehouse_xds_endpoint_push_latency_seconds";

interface Pending {
  reg: ClusterRegistration;
  /** When the oldest event coalesced into this push arrived. */
  since: number;
}

/** What one flush pushed, for tests and benchmarks. */
export interface EndpointPush {
  group: string;
  clusters: string[];
  bytes: number;
  /** Per cluster: ms from the oldest coalesced event's arrival to this push. */
  waitedMs: number[];
}

export class EndpointFastPath {
  readonly index = new ServiceEndpointsIndex();
  private readonly encoder = new ClaEncoder();
  private readonly pending = new Map<string, Pending>();
  private readonly encoded = new WeakMap<LocalityEndpoints[], Map<string, XdsResource>>();
  private readonly histogram: Histogram;
  private readonly log: Logger;
  private readonly pacer: PushPacer;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly pushListeners = new Set<(push: EndpointPush) => void>();
  private stopped = false;
  private lastFlushAt = -Infinity;

  constructor(private readonly opts: EndpointFastPathOptions) {
    this.log = opts.logger.child({ component: "endpoint-fast-path" });
    const windowMs = opts.windowMs ?? DEFAULT_ENDPOINT_WINDOW_MS;
    this.pacer = new PushPacer({ windowMs, maxSpacingMs: Math.max(windowMs, opts.maxWindowMs ?? DEFAULT_ENDPOINT_MAX_WINDOW_MS), load: opts.load });
    this.now = opts.now ?? (() => performance.now());
    const registry = opts.registry ?? defaultRegistry;
    this.histogram =
      (registry.getSingleMetric(METRIC) as Histogram | undefined) ??
      new Histogram({
        name: METRIC,
        help: "Time from an EndpointSlice event reaching the xds-server to its ClusterLoadAssignments entering the ADS cache (pushed to subscribed streams).",
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      });
  }

  /** An EndpointSlice was added or changed. */
  applySlice(slice: EndpointSlice, receivedAt = this.now()): void {
    this.mark(this.index.upsertSlice(slice), receivedAt);
  }

  /** An EndpointSlice was deleted. */
  deleteSlice(namespace: string, name: string, receivedAt = this.now()): void {
    this.mark(this.index.deleteSlice(namespace, name), receivedAt);
  }

  /**
   * The clusters of a Gateway group, from its IR: the IR wiring calls this whenever a
   * Gateway's IR changes. New clusters get their assignment at once (an EDS cluster
   * warms until it has one), dropped ones are removed from the cache.
   */
  setGatewayClusters(group: string, clusters: readonly Cluster[], family?: IPFamily): void {
    const proxyFamily = family ?? this.opts.defaultFamily ?? "IPv4";
    const regs = clusters.map((c) => ({ group, cluster: c.name, service: c.service, family: proxyFamily }));
    const { changed, removed } = this.index.setGroupClusters(group, regs);
    this.removeFromCache(group, removed);
    this.mark(changed, this.now());
  }

  /** setGatewayClusters for a whole IR. */
  setGateway(ir: GatewayIR): void {
    this.setGatewayClusters(gatewayKey(ir.gateway), ir.clusters, ir.ipFamily);
  }

  /** The Gateway's IR was deleted: forget its clusters and their assignments. */
  removeGateway(group: string): void {
    this.removeFromCache(group, this.index.removeGroup(group));
  }

  /** Hears every flush (tests, benchmarks). */
  onPush(listener: (push: EndpointPush) => void): () => void {
    this.pushListeners.add(listener);
    return () => this.pushListeners.delete(listener);
  }

  /** Pushes everything pending now. */
  flush(): void {
    this.clearTimers();
    if (this.pending.size === 0) return;
    this.lastFlushAt = this.now();
    const started = this.now();
    const batch = [...this.pending.values()];
    this.pending.clear();
    const byGroup = new Map<string, { resources: XdsResource[]; since: number[] }>();
    for (const { reg, since } of batch) {
      let entry = byGroup.get(reg.group);
      if (!entry) byGroup.set(reg.group, (entry = { resources: [], since: [] }));
      entry.resources.push(this.resource(reg));
      entry.since.push(since);
    }
    for (const [group, { resources, since }] of byGroup) {
      this.opts.cache.updateResources(group, TYPE_URLS.endpoint, resources);
      const done = this.now();
      const waitedMs = since.map((s) => done - s);
      for (const w of waitedMs) this.histogram.observe(w / 1000);
      let bytes = 0;
      for (const r of resources) bytes += r.bytes.length;
      const push: EndpointPush = { group, clusters: resources.map((r) => r.name), bytes, waitedMs };
      this.log.debug({ group, clusters: push.clusters, bytes }, "pushed cluster load assignments");
      for (const l of this.pushListeners) l(push);
    }
    this.pacer.pushed(this.now() - started);
  }

  /** Stops the timers; pending changes are dropped (the process is going away). */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.pending.clear();
  }

  private mark(regs: readonly ClusterRegistration[], receivedAt: number): void {
    if (this.stopped || regs.length === 0) return;
    for (const reg of regs) {
      const id = `${reg.group}\u0000${reg.cluster}`;
      const current = this.pending.get(id);
      // Keep the first arrival: latency is measured from the oldest event in the push.
      if (current) current.reg = reg;
      else this.pending.set(id, { reg, since: receivedAt });
    }
    if (this.timer || this.immediate) return;
    const wait = this.lastFlushAt + this.pacer.spacing() - this.now();
    if (wait <= 0) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** The cache resource of a cluster's assignment, encoded once per endpoint set and name. */
  private resource(reg: ClusterRegistration): XdsResource {
    const set = this.index.endpointSet(reg);
    let byName = this.encoded.get(set.localities);
    if (!byName) this.encoded.set(set.localities, (byName = new Map()));
    let r = byName.get(reg.cluster);
    if (!r) {
      const { bytes, version } = this.encoder.encodeWithVersion(set);
      r = xdsResource(TYPE_URLS.endpoint, reg.cluster, bytes, version);
      byName.set(reg.cluster, r);
    }
    return r;
  }

  private removeFromCache(group: string, removed: readonly ClusterRegistration[]): void {
    if (removed.length === 0) return;
    for (const reg of removed) this.pending.delete(`${reg.group}\u0000${reg.cluster}`);
    // Only names the cache still holds: the IR wiring may have dropped the whole group
    // already, and an update would bring an empty group back.
    const names = removed.map((r) => r.cluster).filter((n) => this.opts.cache.get(group, TYPE_URLS.endpoint, n));
    if (names.length) this.opts.cache.updateResources(group, TYPE_URLS.endpoint, [], names);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
