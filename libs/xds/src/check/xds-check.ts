// Envoy's rules, checked before statuses are published (translateAndCheck): the same build + validation
// the xds-server runs (libs/xds), so a route, listener or policy Envoy would reject says why
// in its status without a round trip. The xds-server still validates as the last line of
// defence.
//
// Incremental: a Gateway with 10,000 routes is retranslated on every change to any of them,
// and building + validating all of them costs seconds. A route's validity depends only on
// its own IR (the Envoy Route is built from it alone), so each Gateway remembers every IR
// route (by its unique name) with its failures; only routes that are new or differ
// (structural comparison: cheaper than serialising and hashing each route) are built and
// validated, inside a copy of the IR that carries just those routes plus everything that is
// not a route (listeners, virtual hosts, clusters, secrets: O(listeners + backends)).
import type { GatewayIR, HTTPRoute, IPFamily, Listener } from "@gatehouse/ir";
import { buildGatewayResources } from "../resources/gateway-resources";
import { ROUTE_CONFIGURATION_TYPE } from "../resources/resource-type";
import { validateGatewayResources, type ValidationFailure } from "../resources/validate-resources";

export class XdsChecker {
  /** Per Gateway: IR route name -> the variants of that route last validated, with their failures (empty: valid). */
  private readonly known = new Map<string, Map<string, Remembered[]>>();

  constructor(private readonly defaultFamily: IPFamily) {}

  /** What Envoy would reject of this IR, as validateGatewayResources reports it. */
  check(gateway: string, ir: GatewayIR): ValidationFailure[] {
    const previous = this.known.get(gateway) ?? new Map<string, Remembered[]>();
    const next = new Map<string, Remembered[]>();
    /** Routes validated this time, by name (undefined: more than one variant of the name). */
    const pending = new Map<string, Remembered | undefined>();
    const failures: ValidationFailure[] = [];
    const keep = (route: HTTPRoute): boolean => {
      // IR route names are unique per virtual host: the same rule under several hostnames
      // is usually the same Envoy route (validated and counted once) but may differ.
      const variants = next.get(route.name) ?? [];
      if (variants.some((v) => sameJson(v.route, route))) return false;
      next.set(route.name, variants);
      const cached = previous.get(route.name)?.find((v) => sameJson(v.route, route));
      if (cached) {
        variants.push(cached);
        failures.push(...cached.failures);
        return false;
      }
      const fresh: Remembered = { route, failures: [] };
      variants.push(fresh);
      pending.set(route.name, pending.has(route.name) ? undefined : fresh);
      return true;
    };
    const reduced: GatewayIR = { ...ir, listeners: ir.listeners.map((l) => withRoutes(l, keep)) };
    const checked = validateGatewayResources(buildGatewayResources(reduced, { ipFamily: ir.ipFamily ?? this.defaultFamily }));
    for (const f of checked.failures) {
      failures.push(f);
      if (f.typeUrl !== ROUTE_CONFIGURATION_TYPE.typeUrl || f.dropped !== "part" || !f.source || !f.irName) continue;
      pending.get(f.irName)?.failures.push(f);
    }
    // Two new variants of one name: which one failed is not known here, so neither is remembered.
    for (const [name, fresh] of pending) if (!fresh) next.delete(name);
    this.known.set(gateway, next);
    return failures;
  }

  /** Drops what is remembered of a Gateway that has no IR any more. */
  forget(gateway: string): void {
    this.known.delete(gateway);
  }
}

interface Remembered {
  route: HTTPRoute;
  failures: ValidationFailure[];
}

/** Deep equality of JSON-shaped values (the IR is plain data). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function withRoutes(listener: Listener, keep: (route: HTTPRoute) => boolean): Listener {
  return {
    ...listener,
    filterChains: listener.filterChains.map((chain) =>
      chain.kind !== "http" ? chain : { ...chain, virtualHosts: chain.virtualHosts.map((vh) => ({ ...vh, routes: vh.routes.filter(keep) })) },
    ),
  };
}
