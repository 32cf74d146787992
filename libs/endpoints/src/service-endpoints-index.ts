// The xds-server's incremental view of endpoints: EndpointSlices grouped by Service, and
// the clusters (per Gateway group) that use each Service port. A slice event touches one
// Service, and answers which clusters need a new ClusterLoadAssignment, without looking
// at any other Service. Endpoint sets come from an EndpointView per Service port and
// family, kept up to date slice by slice, so a Service used by many Gateways is
// aggregated once and a 10,000-pod Service costs little per event.
import type { EndpointSet, IPFamily, ServicePortRef } from "@gatehouse/ir";
import { addressTypesFor } from "./aggregate";
import { EndpointView } from "./endpoint-view";
import { namespacedKey, serviceKeyOfSlice, sliceKey, type EndpointSlice } from "./endpoint-slice";

/** A cluster of one Gateway group that takes its endpoints from a Service port. */
export interface ClusterRegistration {
  /** The Gateway group (its key, "namespace/name") whose proxies use the cluster. */
  group: string;
  /** Cluster name, also the ClusterLoadAssignment name. */
  cluster: string;
  service: ServicePortRef;
  /** IP family of the group's proxies. */
  family: IPFamily;
}

interface StoredSlice {
  service: string;
  slice: EndpointSlice;
}

export class ServiceEndpointsIndex {
  private readonly slices = new Map<string, StoredSlice>();
  private readonly slicesByService = new Map<string, Map<string, EndpointSlice>>();
  private readonly clusters = new Map<string, ClusterRegistration>();
  private readonly clustersByService = new Map<string, Set<string>>();
  /** Views per Service, by port and family; created when a cluster first asks. */
  private readonly views = new Map<string, Map<string, EndpointView>>();

  /** Adds or replaces a slice; returns the clusters whose endpoints may have changed. */
  upsertSlice(slice: EndpointSlice): ClusterRegistration[] {
    const key = sliceKey(slice);
    const service = serviceKeyOfSlice(slice);
    const previous = this.slices.get(key);
    if (previous) this.removeStored(key, previous, previous.service !== service);
    if (service === undefined) {
      // Not tied to a Service (no label): nothing can use it.
      return previous ? this.affected(previous.service, [previous.slice.addressType]) : [];
    }
    this.slices.set(key, { service, slice });
    let group = this.slicesByService.get(service);
    if (!group) this.slicesByService.set(service, (group = new Map()));
    group.set(key, slice);
    for (const view of this.views.get(service)?.values() ?? []) view.applySlice(key, slice);
    const types = previous && previous.service === service ? [previous.slice.addressType, slice.addressType] : [slice.addressType];
    const result = this.affected(service, types);
    if (previous && previous.service !== service) result.push(...this.affected(previous.service, [previous.slice.addressType]));
    return result;
  }

  /** Removes a slice by "namespace/name"; returns the clusters whose endpoints changed. */
  deleteSlice(namespace: string, name: string): ClusterRegistration[] {
    const key = namespacedKey(namespace, name);
    const previous = this.slices.get(key);
    if (!previous) return [];
    this.removeStored(key, previous, true);
    return this.affected(previous.service, [previous.slice.addressType]);
  }

  /**
   * Replaces the clusters of a group. Returns the registrations that need a (new)
   * ClusterLoadAssignment and the ones that went away.
   */
  setGroupClusters(group: string, registrations: readonly ClusterRegistration[]): { changed: ClusterRegistration[]; removed: ClusterRegistration[] } {
    const wanted = new Map<string, ClusterRegistration>();
    for (const r of registrations) wanted.set(clusterId(group, r.cluster), { ...r, group });
    const removed: ClusterRegistration[] = [];
    for (const [id, reg] of this.clusters) {
      if (reg.group !== group) continue;
      const next = wanted.get(id);
      if (!next || !sameSource(reg, next)) {
        this.unlink(id, reg);
        if (!next) removed.push(reg);
      }
    }
    const changed: ClusterRegistration[] = [];
    for (const [id, reg] of wanted) {
      const current = this.clusters.get(id);
      if (current && sameSource(current, reg)) continue;
      this.clusters.set(id, reg);
      const service = serviceKeyOf(reg.service);
      let ids = this.clustersByService.get(service);
      if (!ids) this.clustersByService.set(service, (ids = new Set()));
      ids.add(id);
      changed.push(reg);
    }
    if (removed.length) this.pruneViews(removed.map((r) => serviceKeyOf(r.service)));
    return { changed, removed };
  }

  /** Forgets every cluster of a group (its IR was deleted). */
  removeGroup(group: string): ClusterRegistration[] {
    return this.setGroupClusters(group, []).removed;
  }

  /** The registration of a cluster in a group, if any. */
  cluster(group: string, cluster: string): ClusterRegistration | undefined {
    return this.clusters.get(clusterId(group, cluster));
  }

  /** Every registered cluster of a group. */
  clustersOfGroup(group: string): ClusterRegistration[] {
    return [...this.clusters.values()].filter((r) => r.group === group);
  }

  /**
   * The endpoint set of a registered cluster. Memoized per Service port and family: the
   * returned localities are shared between clusters and must not be mutated.
   */
  endpointSet(reg: ClusterRegistration): EndpointSet {
    const service = serviceKeyOf(reg.service);
    let perService = this.views.get(service);
    if (!perService) this.views.set(service, (perService = new Map()));
    const sub = viewKey(reg);
    let view = perService.get(sub);
    if (!view) {
      view = new EndpointView(reg.service, reg.family);
      for (const [key, slice] of this.slicesByService.get(service) ?? []) view.applySlice(key, slice);
      perService.set(sub, view);
    }
    return view.endpointSet(reg.cluster);
  }

  /** Number of slices held, for metrics. */
  get sliceCount(): number {
    return this.slices.size;
  }

  private removeStored(key: string, stored: StoredSlice, fromViews: boolean): void {
    this.slices.delete(key);
    const group = this.slicesByService.get(stored.service);
    group?.delete(key);
    if (group && group.size === 0) this.slicesByService.delete(stored.service);
    if (fromViews) for (const view of this.views.get(stored.service)?.values() ?? []) view.applySlice(key, undefined);
  }

  /** Drops views that no registered cluster reads any more. */
  private pruneViews(services: string[]): void {
    for (const service of new Set(services)) {
      const perService = this.views.get(service);
      if (!perService) continue;
      const used = new Set<string>();
      for (const id of this.clustersByService.get(service) ?? []) {
        const reg = this.clusters.get(id);
        if (reg) used.add(viewKey(reg));
      }
      for (const sub of [...perService.keys()]) if (!used.has(sub)) perService.delete(sub);
      if (perService.size === 0) this.views.delete(service);
    }
  }

  /** Clusters of a Service whose family reaches one of the given address types. */
  private affected(service: string, addressTypes: string[]): ClusterRegistration[] {
    const ids = this.clustersByService.get(service);
    if (!ids) return [];
    const out: ClusterRegistration[] = [];
    for (const id of ids) {
      const reg = this.clusters.get(id);
      if (!reg) continue;
      const reach = addressTypesFor(reg.family);
      if (addressTypes.some((t) => reach.has(t))) out.push(reg);
    }
    return out;
  }

  private unlink(id: string, reg: ClusterRegistration): void {
    this.clusters.delete(id);
    const service = serviceKeyOf(reg.service);
    const ids = this.clustersByService.get(service);
    ids?.delete(id);
    if (ids && ids.size === 0) this.clustersByService.delete(service);
  }
}

function viewKey(reg: ClusterRegistration): string {
  return `${reg.service.port}|${reg.service.portName}|${reg.service.targetPort ?? ""}|${reg.family}`;
}

function clusterId(group: string, cluster: string): string {
  return `${group}\u0000${cluster}`;
}

function serviceKeyOf(ref: ServicePortRef): string {
  return namespacedKey(ref.namespace, ref.name);
}

function sameSource(a: ClusterRegistration, b: ClusterRegistration): boolean {
  return (
    a.family === b.family &&
    a.service.namespace === b.service.namespace &&
    a.service.name === b.service.name &&
    a.service.port === b.service.port &&
    a.service.portName === b.service.portName &&
    a.service.targetPort === b.service.targetPort
  );
}
