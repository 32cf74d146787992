// The HTTP filters Gatehouse knows, keyed by the type URL of their config. Every
// HttpConnectionManager gets all of them, in order, whether a route uses them or not: the
// Listener then never changes when routes do (a Listener update drains connections), and a
// filter without per-route config is a no-op (or disabled until a route enables it).
import type { HttpFilter } from "./http-filter";
import { corsFilter } from "./cors-filter";
import { routerFilter } from "./router-filter";
import { statefulSessionFilter } from "./stateful-session-filter";
import type { JsonObject } from "../json";

export const HTTP_FILTERS: ReadonlyMap<string, HttpFilter> = new Map(
  [statefulSessionFilter, corsFilter, routerFilter].sort((a, b) => a.order - b.order).map((f) => [f.typeUrl, f]),
);

/** The http_filters list of an HttpConnectionManager. */
export function httpFilterChain(): JsonObject[] {
  return [...HTTP_FILTERS.values()].map((f) => ({ name: f.name, typed_config: f.config(), ...(f.disabledByDefault ? { disabled: true } : {}) }));
}
