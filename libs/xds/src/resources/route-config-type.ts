// RouteConfiguration: one per HTTP filter chain, delivered by RDS. A virtual host per
// hostname (most specific first, as the IR orders them), routes in Gateway API precedence
// order because Envoy takes the first match.
import type { HTTPFilterChain, HTTPRoute, VirtualHost } from "@gatehouse/ir";
import type { JsonObject } from "./json";
import { HTTP_FILTERS } from "./http-filters/registry";
import { envoyRouteConfigName } from "./names";
import { headerMutations } from "./route-headers";
import { routeMatch } from "./route-match";
import { routeAction } from "./route-action";
import { redirectAction } from "./route-redirect";
import { httpDestination } from "./route-destination";
import { ROUTE_CONFIGURATION_TYPE, type BuildContext, type ResourceOrigin, type EnvoyResource } from "./resource-type";

export function buildRouteConfiguration(chain: HTTPFilterChain, ctx: BuildContext): EnvoyResource {
  const name = envoyRouteConfigName(ctx.gatewayKey, chain.routeConfigName);
  const origins: ResourceOrigin[] = [];
  const virtualHosts = chain.virtualHosts.map((vh, i) => {
    // A virtual host can go on its own too (a duplicate domain); its routes are more specific.
    origins.push({ path: ["virtual_hosts", i], irName: vh.name, listeners: [...chain.sources], prunable: true });
    return virtualHost(vh, i, origins);
  });
  return {
    name,
    typeUrl: ROUTE_CONFIGURATION_TYPE.typeUrl,
    json: {
      name,
      virtual_hosts: virtualHosts,
      // Host headers may carry a port ("example.com:8080"); hostnames in the Gateway API never do.
      ignore_port_in_host_matching: true,
    },
    origins,
  };
}

function virtualHost(vh: VirtualHost, vhIndex: number, origins: ResourceOrigin[]): JsonObject {
  const routes = vh.routes.map((r, i) => {
    origins.push({ path: ["virtual_hosts", vhIndex, "routes", i], irName: r.name, route: r.source, prunable: true });
    return envoyRoute(r);
  });
  // The client's TLS server name picked another listener than the Host it asks for (RFC 9110 421).
  if (vh.misdirected) routes.push({ name: `${vh.name}/misdirected`, match: { prefix: "/" }, direct_response: { status: 421 } });
  return { name: vh.name, domains: [...vh.domains], routes };
}

export function envoyRoute(route: HTTPRoute): JsonObject {
  const out: JsonObject = { name: route.name, match: routeMatch(route.match) };
  if (route.redirect) {
    out.redirect = redirectAction(route.redirect, route.match.path);
  } else if (route.destination) {
    const dest = httpDestination(route.destination);
    if (dest.kind === "clusters") out.route = routeAction(route, dest.action);
    else out.direct_response = dest.directResponse;
  } else {
    const status = route.directResponse?.status ?? 500;
    const body = route.directResponse?.body;
    out.direct_response = body !== undefined ? { status, body: { inline_string: body } } : { status };
  }
  Object.assign(out, headerMutations(route.requestHeaders, "request"), headerMutations(route.responseHeaders, "response"));
  const perFilter: JsonObject = {};
  for (const filter of HTTP_FILTERS.values()) {
    const config = filter.perRoute?.(route);
    if (config) perFilter[filter.name] = config;
  }
  if (Object.keys(perFilter).length > 0) out.typed_per_filter_config = perFilter;
  return out;
}
