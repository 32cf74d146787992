// Walks one request through a Gateway's Envoy resources the way Envoy would: listener,
// filter chain, (HTTP) path normalization, route configuration, virtual host, route, then
// the route's redirect, direct response or forwarding with rewrites and backends. Pure
// functions over proto3 JSON: the same resources and request give the same explanation.
import type { JsonObject } from "../resources/json";
import { matchListener } from "./listener-match";
import { matchFilterChain } from "./filter-chain-match";
import { normalizePath } from "./path-normalization";
import { matchVirtualHost } from "./virtual-host-match";
import { describeRouteMatch, routeMismatch } from "./route-match";
import { headerChanges, redirectLocation, rewrittenPath, splitHostPort } from "./route-action";
import { backendOutcomes } from "./upstream";
import { corsPreflightAnswer } from "./cors-preflight";
import { describeOrigin, routeOrigin } from "./route-origin";
import type { BackendOutcome, EnvoyConfig, ExplainOutcome, ExplainRequest, ExplainStep, Explanation } from "./types";

const HCM = "envoy.filters.network.http_connection_manager";
const TCP_PROXY = "envoy.filters.network.tcp_proxy";
/** Routes that did not match listed before the one that did; the rest are counted. */
const MAX_SKIPPED_SHOWN = 8;

export function explainRequest(config: EnvoyConfig, req: ExplainRequest): Explanation {
  const steps: ExplainStep[] = [];
  const done = (outcome: ExplainOutcome, origin?: Explanation["origin"]): Explanation => ({ request: req, steps, outcome, ...(origin ? { origin } : {}) });

  const { listener, step: listenerStep } = matchListener(config.listeners, req.port);
  steps.push(listenerStep);
  if (!listener) return done({ kind: "connection-refused", reason: `nothing listens on port ${req.port}` });

  const { chain, step: chainStep } = matchFilterChain(listener, req);
  steps.push(chainStep);
  if (!chain) return done({ kind: "connection-closed", reason: "no filter chain of the listener matches the connection" });

  const filters = (chain.filters as JsonObject[] | undefined) ?? [];
  const tcp = filters.find((f) => f.name === TCP_PROXY);
  if (tcp) {
    const backends = backendOutcomes(config, (tcp.typed_config ?? {}) as JsonObject, "tcp");
    steps.push({ rule: "tcp proxy", chosen: String(chain.name), notes: ["the connection is proxied as a byte stream (TCP or TLS passthrough): no HTTP routing"] });
    if (backends.length > 0 && backends.every((b) => b.failure)) {
      return done({ kind: "connection-closed", reason: backends.map((b) => b.failure!.reason).join("; ") });
    }
    return done({ kind: "tcp-forwarded", backends, reason: summarizeBackends(backends, "connections") });
  }
  const hcmFilter = filters.find((f) => f.name === HCM);
  if (!hcmFilter) return done({ kind: "connection-closed", reason: `filter chain ${String(chain.name)} has neither an HTTP connection manager nor a TCP proxy` });
  const hcm = (hcmFilter.typed_config ?? {}) as JsonObject;

  const normalized = normalizePath(hcm, req.path);
  if (normalized.notes.length > 0) steps.push({ rule: "path normalization", notes: normalized.notes });
  if (normalized.redirectTo !== undefined) {
    return done({ kind: "response", status: 307, reason: "the path has escaped slashes: Envoy redirects to the unescaped path", location: normalized.redirectTo });
  }
  if (normalized.rejected) return done({ kind: "response", status: 400, reason: "the path has escaped slashes and the connection manager rejects those" });
  const path = normalized.path;

  const rds = hcm.rds as JsonObject | undefined;
  const rcName = typeof rds?.route_config_name === "string" ? rds.route_config_name : undefined;
  const rc = (hcm.route_config as JsonObject | undefined) ?? config.routeConfigurations.find((r) => r.name === rcName);
  if (!rc) return done({ kind: "response", status: 404, reason: `route configuration ${rcName ?? "(none)"} has not been received (RDS): Envoy routes nothing` });

  const vh = matchVirtualHost(rc, req.host);
  steps.push({ ...vh.step, notes: [`route configuration ${String(rc.name)}`, ...vh.step.notes] });
  if (!vh.virtualHost) {
    return done({ kind: "response", status: 404, reason: `no virtual host serves ${req.host}`.concat(misdirectedNote(req)) });
  }

  const routes = (vh.virtualHost.routes as JsonObject[] | undefined) ?? [];
  const request = { ...req, path };
  const skipped: string[] = [];
  let route: JsonObject | undefined;
  for (const r of routes) {
    const why = routeMismatch((r.match ?? {}) as JsonObject, request);
    if (why === undefined) {
      route = r;
      break;
    }
    skipped.push(`${String(r.name)}: ${why}`);
  }
  const skippedNotes = skipped.slice(0, MAX_SKIPPED_SHOWN).map((s) => `skipped ${s}`);
  if (skipped.length > MAX_SKIPPED_SHOWN) skippedNotes.push(`skipped ${skipped.length - MAX_SKIPPED_SHOWN} more routes`);
  if (!route) {
    steps.push({ rule: "route", notes: [`none of the ${routes.length} routes of virtual host ${String(vh.virtualHost.name)} matches`, ...skippedNotes] });
    return done({ kind: "response", status: 404, reason: `no route of virtual host ${String(vh.virtualHost.name)} matches ${req.method} ${path}` });
  }
  const origin = routeOrigin(String(route.name ?? ""));
  const match = (route.match ?? {}) as JsonObject;
  steps.push({
    rule: "route",
    chosen: String(route.name ?? "(unnamed)"),
    notes: [
      `first route in order that matches: ${describeRouteMatch(match)}`,
      ...(origin ? [`from ${describeOrigin(origin)}`] : []),
      ...skippedNotes,
    ],
  });

  const levels = [
    { what: "route", config: route },
    { what: "virtual host", config: vh.virtualHost },
    { what: "route configuration", config: rc },
  ];
  const requestHeaders = headerChanges(levels, "request");
  const responseHeaders = headerChanges(levels, "response");
  if (requestHeaders.length > 0) steps.push({ rule: "request headers", notes: requestHeaders });
  if (responseHeaders.length > 0) steps.push({ rule: "response headers", notes: responseHeaders });

  if (route.redirect) {
    const { status, location } = redirectLocation(route.redirect as JsonObject, match, req, path);
    return done({ kind: "response", status, location, reason: "the route redirects" }, origin);
  }
  if (route.direct_response) {
    const dr = route.direct_response as JsonObject;
    const status = Number(dr.status ?? 200);
    const body = (dr.body as JsonObject | undefined)?.inline_string;
    const reason = status === 500 ? "the route answers directly: its rule has no valid backend (Gateway API: 500)" : "the route answers directly";
    return done({ kind: "response", status, reason, ...(typeof body === "string" ? { body } : {}) }, origin);
  }
  const preflight = corsPreflightAnswer(route, req);
  if (preflight) return done(preflight, origin);
  const action = (route.route ?? {}) as JsonObject;
  const upstreamPath = rewrittenPath(action, match, path);
  const upstreamHost = typeof action.host_rewrite_literal === "string" ? action.host_rewrite_literal : req.host;
  const rewrites: string[] = [];
  if (upstreamPath !== path) rewrites.push(`path ${path} becomes ${upstreamPath}`);
  if (upstreamHost !== req.host) rewrites.push(`host ${req.host} becomes ${upstreamHost}`);
  if (rewrites.length > 0) steps.push({ rule: "rewrite", notes: rewrites });

  const backends = backendOutcomes(config, action, "http");
  const failing = backends.filter((b) => b.failure);
  if (backends.length > 0 && failing.length === backends.length) {
    const status = failing[0].failure!.status;
    return done({ kind: "response", status, reason: failing.map((b) => b.failure!.reason).join("; ") }, origin);
  }
  return done({ kind: "forwarded", backends, upstreamPath, upstreamHost, reason: summarizeBackends(backends, "requests") }, origin);
}

function summarizeBackends(backends: BackendOutcome[], what: string): string {
  if (backends.length === 0) return `no cluster: ${what} fail`;
  const failing = backends.filter((b) => b.failure);
  if (failing.length === 0) return backends.length === 1 ? `all ${what} go to ${backends[0].cluster}` : `${what} split by weight over ${backends.length} clusters`;
  const pct = failing.reduce((n, b) => n + b.percent, 0);
  return `${Math.round(pct * 100) / 100}% of ${what} fail (${failing.map((b) => b.failure!.reason).join("; ")})`;
}

/** Gateway API: a request whose Host is not the SNI-chosen listener's may be answered 421. */
function misdirectedNote(req: ExplainRequest): string {
  if (!req.tls || !req.sni) return "";
  const [host] = splitHostPort(req.host);
  if (host.toLowerCase() === req.sni.toLowerCase()) return "";
  return ` (the TLS connection was set up for SNI ${req.sni}; the Gateway API suggests 421 Misdirected Request for such a request, and this configuration answers 404)`;
}
