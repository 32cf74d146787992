// One Envoy route: a single (rule, match) pair of an HTTPRoute or GRPCRoute, with every
// filter already resolved. Order of routes inside a virtual host is the Gateway API
// precedence order.
import type { RouteSource } from "./listener";
import type { WeightedClusters } from "./cluster";

export interface HTTPRoute {
  /** Unique within the virtual host and stable: "httproute/ns/name/rule/0/match/0". */
  name: string;
  source: RouteSource;
  match: HTTPMatch;
  requestHeaders?: HeaderModifier;
  responseHeaders?: HeaderModifier;
  /** Exactly one of redirect, directResponse and destination is set. */
  redirect?: Redirect;
  directResponse?: DirectResponse;
  destination?: WeightedClusters;
  urlRewrite?: URLRewrite;
  mirrors?: Mirror[];
  cors?: CORSPolicy;
  /**
   * Set on the extra route that takes the CORS preflights of a rule whose own match a browser's
   * OPTIONS request would miss (a method or header match); Envoy's CORS filter answers them.
   */
  corsPreflight?: boolean;
  /** Sticky sessions: requests carrying the session's cookie or header go to the same endpoint. */
  sessionPersistence?: SessionPersistence;
  timeouts?: Timeouts;
  retry?: Retry;
  /** Allow HTTP upgrades (WebSocket) to the backend. */
  websocket?: boolean;
}

export interface HTTPMatch {
  path: PathMatch;
  headers: HeaderMatch[];
  queryParams: QueryParamMatch[];
  method?: string;
}

export type PathMatch =
  | { type: "Exact"; value: string }
  | { type: "PathPrefix"; value: string }
  | { type: "RegularExpression"; value: string };

export interface HeaderMatch {
  name: string;
  /** Present: the header is in the request with a non-empty value (`value` is then ignored). */
  type: "Exact" | "RegularExpression" | "Present";
  value: string;
}

export interface QueryParamMatch {
  name: string;
  type: "Exact" | "RegularExpression";
  value: string;
}

export interface HeaderModifier {
  set: HeaderValue[];
  add: HeaderValue[];
  remove: string[];
}

export interface HeaderValue {
  name: string;
  value: string;
}

export interface Redirect {
  scheme?: "http" | "https";
  hostname?: string;
  /** Absent: keep the request path. */
  path?: PathModifier;
  port?: number;
  statusCode: 301 | 302 | 303 | 307 | 308;
}

export type PathModifier = { type: "ReplaceFullPath"; value: string } | { type: "ReplacePrefixMatch"; value: string };

export interface URLRewrite {
  hostname?: string;
  path?: PathModifier;
}

export interface DirectResponse {
  status: number;
  body?: string;
}

export interface Mirror {
  cluster: string;
  /** 0 to 100, fractions allowed; absent means 100. */
  percent?: number;
}

export interface CORSPolicy {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials?: boolean;
  maxAgeSeconds?: number;
}

export type SessionPersistence = CookieSessionPersistence | HeaderSessionPersistence;

/** The endpoint is remembered in a cookie that Envoy sets on the response. */
export interface CookieSessionPersistence {
  type: "Cookie";
  /** Cookie name. */
  name: string;
  /** The cookie's Path attribute: the longest path covering every match of the rule, so the browser sends it where the rule applies. */
  path: string;
  /** Max-Age of a permanent cookie, which is also when Envoy stops honouring it; absent: a session cookie. */
  ttlMs?: number;
}

/** The endpoint is remembered in a header the client echoes back (Envoy sets it on the response). */
export interface HeaderSessionPersistence {
  type: "Header";
  /** Header name, lowercase. */
  name: string;
}

export interface Timeouts {
  /** Whole request, downstream to upstream; 0 disables. */
  requestMs?: number;
  /** Each try to the backend. */
  backendRequestMs?: number;
}

export interface Retry {
  /** HTTP status codes that trigger a retry. */
  codes: number[];
  /** Retries after the first try. */
  attempts: number;
  backoffMs?: number;
}
