// Envoy's rules, checked by the translator before it publishes: the same build + validation
// the xds-server runs (libs/xds), so a route, listener or policy Envoy would reject says why
// in its status without a round trip. The xds-server still validates as the last line of
// defence.
//
// Incremental: a Gateway with 10,000 routes is retranslated on every change to any of them,
// and building + validating all of them costs seconds. A route's validity depends only on
// its own IR (the Envoy Route is built from it alone), so each Gateway remembers the
// failures of every IR route by content; only routes not seen before are built and
// validated, inside a copy of the IR that carries just those routes plus everything that is
// not a route (listeners, virtual hosts, clusters, secrets: O(listeners + backends)).
import { createHash } from "node:crypto";
import type { GatewayIR, HTTPRoute, IPFamily, Listener } from "@gatehouse/ir";
import { buildGatewayResources, ROUTE_CONFIGURATION_TYPE, validateGatewayResources, type ValidationFailure } from "@gatehouse/xds";

export class XdsChecker {
  /** Per Gateway: route content hash -> that route's failures (empty: valid). */
  private readonly known = new Map<string, Map<string, ValidationFailure[]>>();

  constructor(private readonly defaultFamily: IPFamily) {}

  /** What Envoy would reject of this IR, as validateGatewayResources reports it. */
  check(gateway: string, ir: GatewayIR): ValidationFailure[] {
    const previous = this.known.get(gateway) ?? new Map<string, ValidationFailure[]>();
    const next = new Map<string, ValidationFailure[]>();
    const failures: ValidationFailure[] = [];
    /** IR route name -> content hash, for the routes validated this time. */
    const pending = new Map<string, string>();
    const keep = (route: HTTPRoute): boolean => {
      const key = createHash("sha1").update(JSON.stringify(route)).digest("base64");
      const seen = next.get(key);
      if (seen) return false; // the same route under another listener or hostname: counted once
      const cached = previous.get(key);
      if (cached) {
        next.set(key, cached);
        failures.push(...cached);
        return false;
      }
      next.set(key, []);
      pending.set(route.name, key);
      return true;
    };
    const reduced: GatewayIR = { ...ir, listeners: ir.listeners.map((l) => withRoutes(l, keep)) };
    const checked = validateGatewayResources(buildGatewayResources(reduced, { ipFamily: ir.ipFamily ?? this.defaultFamily }));
    for (const f of checked.failures) {
      failures.push(f);
      const key = f.typeUrl === ROUTE_CONFIGURATION_TYPE.typeUrl && f.dropped === "part" && f.source && f.irName ? pending.get(f.irName) : undefined;
      if (key) next.get(key)!.push(f);
    }
    this.known.set(gateway, next);
    return failures;
  }

  /** Drops what is remembered of a Gateway that has no IR any more. */
  forget(gateway: string): void {
    this.known.delete(gateway);
  }
}

function withRoutes(listener: Listener, keep: (route: HTTPRoute) => boolean): Listener {
  return {
    ...listener,
    filterChains: listener.filterChains.map((chain) =>
      chain.kind !== "http" ? chain : { ...chain, virtualHosts: chain.virtualHosts.map((vh) => ({ ...vh, routes: vh.routes.filter(keep) })) },
    ),
  };
}
