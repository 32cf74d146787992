// The endpoints of one Service port for one proxy family, kept up to date slice by slice.
// aggregateEndpoints recomputes a Service from all its slices; for a 10,000-pod Service
// that is tens of milliseconds per event. Here a slice event costs O(size of the slice)
// plus a sorted insert per changed address, and the EndpointSet is rebuilt only for the
// zones that changed: the endpoint arrays of unchanged zones keep their identity, and so
// do unchanged Endpoint objects, which lets an encoder memoize by identity. The result
// equals aggregateEndpoints over the same slices (tested on random histories). DualStack
// pairs addresses by pod across families and is recomputed in full instead.
import type { Endpoint, EndpointSet, IPFamily, LocalityEndpoints, ServicePortRef } from "@gatehouse/ir";
import { addressTypesFor, aggregateEndpoints } from "./aggregate";
import { endpointState, envoyHealth, stateRank, type EndpointState } from "./endpoint-health";
import type { EndpointSlice, EndpointSliceEndpoint } from "./endpoint-slice";
import { matchSlicePort } from "./port-match";

interface Contribution {
  slice: string;
  address: string;
  port: number;
  state: EndpointState;
  zone: string;
  hostname?: string;
}

export class EndpointView {
  private readonly slices = new Map<string, EndpointSlice>();
  private readonly bySlice = new Map<string, Map<string, Contribution>>();
  /**
   * Address order of each slice without duplicates: an update that keeps it takes the fast
   * path. `endpoints` are the slice's endpoint objects of the last update: a decoder that
   * reuses the objects of unchanged endpoints (the bus codec does) lets those be skipped
   * by identity.
   */
  private readonly layouts = new Map<string, { port: number; addresses: string[]; keys: string[]; endpoints: readonly EndpointSliceEndpoint[] }>();
  private readonly byAddress = new Map<string, Map<string, Contribution>>();
  private readonly winners = new Map<string, Contribution>();
  /** Sorted address keys of the winners, per zone. */
  private readonly zones = new Map<string, string[]>();
  /**
   * The Endpoint of each key in `zones`, same positions; undefined where it must be
   * (re)computed. A push then copies the zone's array and fills the holes instead of
   * looking up every endpoint of the zone (10,000-pod Services).
   */
  private readonly zoneEndpoints = new Map<string, Array<Endpoint | undefined>>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly dirtyZones = new Set<string>();
  private servingCount = 0;
  private fallback = false;
  private localities: LocalityEndpoints[] = [];
  private readonly zoneLists = new Map<string, Endpoint[]>();
  private changed = true;

  constructor(
    readonly ref: ServicePortRef,
    readonly family: IPFamily,
  ) {}

  /**
   * Adds, replaces (slice) or removes (undefined) the slice with this key. Slices and their
   * endpoints are kept and must not be mutated afterwards; an endpoint object passed again
   * in the next value of the same slice is taken as unchanged.
   */
  applySlice(key: string, slice: EndpointSlice | undefined): void {
    if (slice) this.slices.set(key, slice);
    else this.slices.delete(key);
    this.changed = true;
    if (this.family === "DualStack") return;
    const previous = this.bySlice.get(key);
    const reachable = !!slice && addressTypesFor(this.family).has(slice.addressType);
    const port = reachable ? matchSlicePort(slice!.ports, this.ref) : undefined;
    if (previous && port !== undefined && this.sameLayout(key, port, slice!)) {
      this.updateInPlace(key, previous, slice!);
      return;
    }
    const next = new Map<string, Contribution>();
    let addressed = 0;
    if (port !== undefined) {
      for (const ep of slice!.endpoints ?? []) {
        const address = ep.addresses?.[0];
        if (!address) continue;
        addressed++;
        const addrKey = `${address}|${port}`;
        const state = endpointState(ep.conditions);
        const seen = next.get(addrKey);
        if (seen && stateRank(seen.state) >= stateRank(state)) continue;
        const zone = ep.zone ?? "";
        const hostname = ep.targetRef?.name ?? ep.hostname ?? undefined;
        // Most events change one endpoint of a slice: keep the others' objects as they are.
        const before = previous?.get(addrKey);
        if (before && before.state === state && before.zone === zone && before.hostname === (hostname || undefined)) {
          next.set(addrKey, before);
          continue;
        }
        const c: Contribution = { slice: key, address, port, state, zone };
        if (hostname) c.hostname = hostname;
        next.set(addrKey, c);
      }
    }
    if (next.size > 0) this.bySlice.set(key, next);
    else this.bySlice.delete(key);
    const endpoints = slice?.endpoints ?? [];
    if (port !== undefined && next.size > 0 && next.size === addressed && addressed === endpoints.length) {
      this.layouts.set(key, { port, addresses: endpoints.map((e) => e.addresses[0]), keys: [...next.keys()], endpoints });
    } else {
      this.layouts.delete(key);
    }
    for (const [addrKey, c] of next) {
      if (previous?.get(addrKey) === c) continue;
      let owners = this.byAddress.get(addrKey);
      if (!owners) this.byAddress.set(addrKey, (owners = new Map()));
      owners.set(key, c);
      this.elect(addrKey);
    }
    if (previous) {
      for (const addrKey of previous.keys()) {
        if (next.has(addrKey)) continue;
        const owners = this.byAddress.get(addrKey);
        if (owners) {
          owners.delete(key);
          if (owners.size === 0) this.byAddress.delete(addrKey);
        }
        this.elect(addrKey);
      }
    }
  }

  /** True when the slice lists the same addresses in the same order as last time (no duplicates). */
  private sameLayout(key: string, port: number, slice: EndpointSlice): boolean {
    const layout = this.layouts.get(key);
    const endpoints = slice.endpoints ?? [];
    if (!layout || layout.port !== port || layout.addresses.length !== endpoints.length) return false;
    for (let i = 0; i < endpoints.length; i++) {
      if (endpoints[i] !== layout.endpoints[i] && endpoints[i].addresses?.[0] !== layout.addresses[i]) return false;
    }
    return true;
  }

  /** The common event (conditions of some endpoints changed): touch only those. */
  private updateInPlace(key: string, contributions: Map<string, Contribution>, slice: EndpointSlice): void {
    const layout = this.layouts.get(key)!;
    const endpoints = slice.endpoints ?? [];
    const previous = layout.endpoints;
    layout.endpoints = endpoints;
    for (let i = 0; i < endpoints.length; i++) {
      const ep = endpoints[i];
      if (ep === previous[i]) continue; // the same object: nothing about it changed
      const addrKey = layout.keys[i];
      const before = contributions.get(addrKey)!;
      const state = endpointState(ep.conditions);
      const zone = ep.zone ?? "";
      const hostname = ep.targetRef?.name ?? ep.hostname ?? undefined;
      if (before.state === state && before.zone === zone && before.hostname === (hostname || undefined)) continue;
      const c: Contribution = { slice: key, address: before.address, port: before.port, state, zone };
      if (hostname) c.hostname = hostname;
      contributions.set(addrKey, c);
      this.byAddress.get(addrKey)!.set(key, c);
      this.elect(addrKey);
    }
  }

  /** The current endpoint set (shared arrays: do not mutate). */
  endpointSet(clusterName: string): EndpointSet {
    if (this.family === "DualStack") return aggregateEndpoints(this.slices.values(), this.ref, this.family, clusterName);
    if (this.changed) this.rebuild();
    return { clusterName, localities: this.localities };
  }

  /** Picks the winning contribution of an address (most available state, then first slice key). */
  private elect(addrKey: string): void {
    let best: Contribution | undefined;
    for (const c of this.byAddress.get(addrKey)?.values() ?? []) {
      if (!best || stateRank(c.state) > stateRank(best.state) || (stateRank(c.state) === stateRank(best.state) && c.slice < best.slice)) best = c;
    }
    const old = this.winners.get(addrKey);
    if (old === best) return;
    if (old && best && sameEndpoint(old, best)) {
      this.winners.set(addrKey, best);
      return;
    }
    if (old) {
      if (old.state === "serving") this.servingCount--;
      if (old.state !== "not-serving") this.removeSorted(old.zone, addrKey);
      this.endpoints.delete(addrKey);
      this.winners.delete(addrKey);
    }
    if (best) {
      if (best.state === "serving") this.servingCount++;
      if (best.state !== "not-serving") this.insertSorted(best.zone, addrKey);
      this.winners.set(addrKey, best);
    }
  }

  private rebuild(): void {
    this.changed = false;
    const fallback = this.servingCount === 0;
    if (fallback !== this.fallback) {
      // Terminating endpoints switch between DRAINING and HEALTHY: every zone may change.
      this.fallback = fallback;
      for (const addrKey of [...this.endpoints.keys()]) {
        const winner = this.winners.get(addrKey);
        if (winner?.state === "terminating") {
          this.endpoints.delete(addrKey);
          const keys = this.zones.get(winner.zone);
          const i = keys ? lowerBound(keys, addrKey) : -1;
          if (keys && keys[i] === addrKey) this.zoneEndpoints.get(winner.zone)![i] = undefined;
          this.dirtyZones.add(winner.zone);
        }
      }
    }
    for (const zone of this.dirtyZones) {
      const keys = this.zones.get(zone);
      if (!keys || keys.length === 0) {
        this.zones.delete(zone);
        this.zoneEndpoints.delete(zone);
        this.zoneLists.delete(zone);
        continue;
      }
      const slots = this.zoneEndpoints.get(zone)!;
      for (let i = 0; i < slots.length; i++) if (slots[i] === undefined) slots[i] = this.endpoint(keys[i]);
      // A copy: pushed sets keep their arrays while the zone changes on.
      this.zoneLists.set(zone, slots.slice() as Endpoint[]);
    }
    this.dirtyZones.clear();
    this.localities = [...this.zoneLists.keys()].sort(cmp).map((zone) => ({ zone, endpoints: this.zoneLists.get(zone)! }));
  }

  private endpoint(addrKey: string): Endpoint {
    let e = this.endpoints.get(addrKey);
    if (e) return e;
    const c = this.winners.get(addrKey)!;
    e = { address: c.address, port: c.port, health: envoyHealth(c.state, this.servingCount)! };
    if (c.hostname) e.hostname = c.hostname;
    this.endpoints.set(addrKey, e);
    return e;
  }

  private insertSorted(zone: string, addrKey: string): void {
    let keys = this.zones.get(zone);
    if (!keys) {
      this.zones.set(zone, (keys = []));
      this.zoneEndpoints.set(zone, []);
    }
    const i = lowerBound(keys, addrKey);
    keys.splice(i, 0, addrKey);
    this.zoneEndpoints.get(zone)!.splice(i, 0, undefined);
    this.dirtyZones.add(zone);
  }

  private removeSorted(zone: string, addrKey: string): void {
    const keys = this.zones.get(zone);
    if (!keys) return;
    const i = lowerBound(keys, addrKey);
    if (keys[i] === addrKey) {
      keys.splice(i, 1);
      this.zoneEndpoints.get(zone)!.splice(i, 1);
    }
    this.dirtyZones.add(zone);
  }
}

function sameEndpoint(a: Contribution, b: Contribution): boolean {
  return a.state === b.state && a.zone === b.zone && a.hostname === b.hostname;
}

/** Address keys sort like aggregateEndpoints sorts endpoints: by address, then port. */
function compareKeys(a: string, b: string): number {
  const ia = a.lastIndexOf("|");
  const ib = b.lastIndexOf("|");
  const aa = a.slice(0, ia);
  const ab = b.slice(0, ib);
  if (aa !== ab) return aa < ab ? -1 : 1;
  return Number(a.slice(ia + 1)) - Number(b.slice(ib + 1));
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(keys[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
