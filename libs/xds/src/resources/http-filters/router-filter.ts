// envoy.filters.http.router: forwards to the route's cluster. Always the last filter.
import { typedConfig, typeUrlOf } from "../json";
import type { HttpFilter } from "./http-filter";

const TYPE_NAME = "envoy.extensions.filters.http.router.v3.Router";

export const routerFilter: HttpFilter = {
  name: "envoy.filters.http.router",
  typeUrl: typeUrlOf(TYPE_NAME),
  order: 1000,
  // suppress_envoy_headers: a gateway should not leak x-envoy-* details to backends.
  config: () => typedConfig(TYPE_NAME, { suppress_envoy_headers: true }),
};
