// envoy.config.route.v3.RouteAction for a forwarding route: destination, URL rewrite,
// timeouts, retries, mirrors and WebSocket upgrades.
import type { HTTPRoute, Mirror, Retry, Timeouts } from "@gatehouse/ir";
import { duration, type JsonObject } from "./json";
import { pathRewrite } from "./route-rewrite";

/** Retry on connection-level failures always: the Gateway API requires it once retries are configured. */
const RETRY_ON_CONNECTION_ERRORS = "connect-failure,refused-stream,reset";

export function routeAction(route: HTTPRoute, destination: JsonObject): JsonObject {
  const action: JsonObject = { ...destination };
  if (route.urlRewrite?.path) Object.assign(action, pathRewrite(route.match.path, route.urlRewrite.path));
  if (route.urlRewrite?.hostname) action.host_rewrite_literal = route.urlRewrite.hostname;
  const timeout = routeTimeout(route.timeouts, route.retry);
  if (timeout !== undefined) action.timeout = timeout;
  const retry = retryPolicy(route.retry, route.timeouts);
  if (retry) action.retry_policy = retry;
  if (route.mirrors && route.mirrors.length > 0) action.request_mirror_policies = route.mirrors.map(mirrorPolicy);
  if (route.websocket) action.upgrade_configs = [{ upgrade_type: "websocket" }];
  return action;
}

/**
 * The whole-request timeout. With only a per-try (backendRequest) timeout, Envoy's default
 * of 15 s would still cut requests short, so the route allows every try its full time.
 */
function routeTimeout(timeouts: Timeouts | undefined, retry: Retry | undefined): string | undefined {
  if (timeouts?.requestMs !== undefined) return duration(timeouts.requestMs);
  if (timeouts?.backendRequestMs !== undefined) return duration(timeouts.backendRequestMs * (1 + (retry?.attempts ?? 0)));
  return undefined;
}

function retryPolicy(retry: Retry | undefined, timeouts: Timeouts | undefined): JsonObject | undefined {
  const perTry = timeouts?.backendRequestMs;
  if (!retry && perTry === undefined) return undefined;
  const policy: JsonObject = {};
  if (retry) {
    policy.retry_on = retry.codes.length > 0 ? `${RETRY_ON_CONNECTION_ERRORS},retriable-status-codes` : RETRY_ON_CONNECTION_ERRORS;
  }
  // Envoy retries once when num_retries is unset: always say how many.
  policy.num_retries = retry?.attempts ?? 0;
  if (perTry !== undefined) policy.per_try_timeout = duration(perTry);
  if (retry?.backoffMs !== undefined && retry.backoffMs > 0) policy.retry_back_off = { base_interval: duration(retry.backoffMs) };
  if (retry && retry.codes.length > 0) policy.retriable_status_codes = [...retry.codes];
  return policy;
}

function mirrorPolicy(mirror: Mirror): JsonObject {
  const policy: JsonObject = { cluster: mirror.cluster };
  if (mirror.percent !== undefined && mirror.percent < 100) {
    // Percentages may have fractions: express them in millionths.
    policy.runtime_fraction = {
      default_value: { numerator: Math.round(mirror.percent * 10_000), denominator: "MILLION" },
    };
  }
  return policy;
}
