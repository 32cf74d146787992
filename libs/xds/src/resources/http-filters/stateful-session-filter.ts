// envoy.filters.http.stateful_session: sticky sessions (Gateway API sessionPersistence). The
// filter sits disabled in every HttpConnectionManager, with no session state of its own, and a
// route with sessionPersistence enables it through StatefulSessionPerRoute, carrying the cookie
// or header that names the endpoint. Routes without it never pay for the filter.
import type { HTTPRoute, SessionPersistence } from "@gatehouse/ir";
import { compact, duration, typedConfig, typeUrlOf, type JsonObject } from "../json";
import type { HttpFilter } from "./http-filter";

const TYPE_NAME = "envoy.extensions.filters.http.stateful_session.v3.StatefulSession";
const PER_ROUTE_TYPE_NAME = "envoy.extensions.filters.http.stateful_session.v3.StatefulSessionPerRoute";
const COOKIE_STATE = "envoy.extensions.http.stateful_session.cookie.v3.CookieBasedSessionState";
const HEADER_STATE = "envoy.extensions.http.stateful_session.header.v3.HeaderBasedSessionState";

export const statefulSessionFilter: HttpFilter = {
  name: "envoy.filters.http.stateful_session",
  typeUrl: typeUrlOf(TYPE_NAME),
  // After CORS: a preflight the CORS filter answers never touches the session.
  order: 200,
  disabledByDefault: true,
  config: () => typedConfig(TYPE_NAME),
  perRoute: (route: HTTPRoute) =>
    route.sessionPersistence && route.destination
      ? typedConfig(PER_ROUTE_TYPE_NAME, { stateful_session: statefulSession(route.sessionPersistence) })
      : undefined,
};

function statefulSession(session: SessionPersistence): JsonObject {
  if (session.type === "Header") {
    return {
      session_state: { name: "envoy.http.stateful_session.header", typed_config: typedConfig(HEADER_STATE, { name: session.name }) },
    };
  }
  const cookie = compact({
    name: session.name,
    path: session.path,
    // A TTL makes the cookie permanent (Max-Age) and bounds how long Envoy honours it.
    ttl: session.ttlMs !== undefined ? duration(session.ttlMs) : undefined,
  });
  return { session_state: { name: "envoy.http.stateful_session.cookie", typed_config: typedConfig(COOKIE_STATE, { cookie }) } };
}
