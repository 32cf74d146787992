// The CORS preflight a rule with a CORS filter must answer (HTTPCORSFilter: the gateway
// answers the preflight). A browser asks first with OPTIONS, Origin and
// Access-Control-Request-Method, and without the request's own headers: a rule that matches
// a method or headers would never see it. Such a rule gets a second route for its path and
// query parameters (and, for a method match, Access-Control-Request-Method) that takes only
// preflights, carrying the same CORS policy; Envoy's CORS filter answers there and never
// forwards a preflight to the backend.
import { canonicalJSON, type HTTPMatch, type HTTPRoute } from "@gatehouse/ir";

/** The preflight route of `route`, or undefined when the route's own match takes preflights (or has no CORS). */
export function corsPreflightRoute(route: HTTPRoute, seen: Set<string>): HTTPRoute | undefined {
  // Envoy's CORS filter acts only on routes that forward: a redirect or direct response is not one.
  if (!route.cors || !route.destination) return undefined;
  const m = route.match;
  const takesPreflights = (m.method === undefined || m.method === "OPTIONS") && m.headers.length === 0;
  if (takesPreflights) return undefined;
  const match: HTTPMatch = {
    path: m.path,
    headers: [
      { name: "origin", type: "Present", value: "" },
      // The browser names the method it is about to use: rules of one path that differ by
      // method each answer for their own, with their own CORS policy.
      m.method !== undefined
        ? { name: "access-control-request-method", type: "Exact", value: m.method }
        : { name: "access-control-request-method", type: "Present", value: "" },
    ],
    queryParams: m.queryParams,
    method: "OPTIONS",
  };
  // Matches of one rule that differ only in headers share one preflight route.
  const key = canonicalJSON(match);
  if (seen.has(key)) return undefined;
  seen.add(key);
  return {
    name: `${route.name}/cors-preflight`,
    source: route.source,
    match,
    destination: route.destination,
    cors: route.cors,
    corsPreflight: true,
  };
}
