// An HTTP filter that Gatehouse may put in an HttpConnectionManager: its listener-level
// config and, optionally, what a route asks of it through typed_per_filter_config.
import type { HTTPRoute } from "@gatehouse/ir";
import type { JsonObject } from "../json";

export interface HttpFilter {
  /** Envoy's canonical filter name; also the key in typed_per_filter_config. */
  name: string;
  /** Type URL of the listener-level config: the registry's key. */
  typeUrl: string;
  /** Lower runs first; the router is last. */
  order: number;
  /**
   * Off unless a route's typed_per_filter_config turns it on (HttpFilter.disabled): for filters
   * whose listener-level config does nothing and that only some routes use.
   */
  disabledByDefault?: boolean;
  /** The listener-level typed_config, with "@type". */
  config(): JsonObject;
  /** Per-route config (an Any with "@type"), or undefined when the route does not use the filter. */
  perRoute?(route: HTTPRoute): JsonObject | undefined;
}
