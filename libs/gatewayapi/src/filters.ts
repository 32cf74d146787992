// Route filters (HTTPRoute and GRPCRoute) to IR fields. Invalid filter configuration makes
// the rule unaccepted (Accepted=False or PartiallyInvalid, UnsupportedValue); filters we do
// not implement or cannot resolve keep the rule but answer 500 (ResolvedRefs=False), as the
// spec's GEP-1364 asks.
import { isIP } from "node:net";
import type { CORSPolicy, HeaderModifier, Mirror, PathModifier, Redirect, URLRewrite } from "@gatehouse/ir";
import { hostnameError } from "@gatehouse/validation";
import type { RouteProblem } from "./conditions";
import { asArray, type HTTPRouteFilter, type ParentReference } from "./kube-types";
import type { RouteNode, TranslationGraph } from "./graph";
import { resolveBackend } from "./backends";
import { headerModifier, isEmptyModifier } from "./header-modifier";

export interface FilterOutcome {
  requestHeaders?: HeaderModifier;
  responseHeaders?: HeaderModifier;
  redirect?: Redirect;
  /** The redirect gives no port: it is derived per listener. */
  redirectPortFromListener: boolean;
  urlRewrite?: URLRewrite;
  mirrors: Mirror[];
  cors?: CORSPolicy;
  /** Set when an unsupported or unresolvable filter means the rule must answer 500. */
  directResponseStatus?: number;
  problems: RouteProblem[];
}

const GRPC_FILTERS = new Set(["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "ExtensionRef"]);
const FIELD_OF: Record<string, keyof HTTPRouteFilter> = {
  RequestHeaderModifier: "requestHeaderModifier",
  ResponseHeaderModifier: "responseHeaderModifier",
  RequestRedirect: "requestRedirect",
  URLRewrite: "urlRewrite",
  RequestMirror: "requestMirror",
  CORS: "cors",
  ExtensionRef: "extensionRef",
};

export function processFilters(
  graph: TranslationGraph,
  route: RouteNode,
  filters: HTTPRouteFilter[] | undefined,
  ancestor: ParentReference,
): FilterOutcome {
  const out: FilterOutcome = { redirectPortFromListener: false, mirrors: [], problems: [] };
  const accepted = (message: string) => out.problems.push({ type: "Accepted", reason: "UnsupportedValue", message });
  for (const f of asArray(filters)) {
    if (out.directResponseStatus !== undefined) break;
    const type = f.type ?? "";
    if (route.kind === "GRPCRoute" && !GRPC_FILTERS.has(type)) {
      unsupported(out, `Filter type ${type} is not supported on GRPCRoute`);
      continue;
    }
    const field = FIELD_OF[type];
    if (!field) {
      unsupported(out, `Unsupported filter type: ${type}`);
      continue;
    }
    if (f[field] === undefined || f[field] === null) {
      out.directResponseStatus = 500;
      accepted(`Invalid filter ${type}: the ${field} field must be set`);
      continue;
    }
    switch (type) {
      case "RequestHeaderModifier": {
        const err = headerModifier(f.requestHeaderModifier!, (out.requestHeaders ??= { set: [], add: [], remove: [] }), "RequestHeaderModifier");
        if (err) accepted(err);
        break;
      }
      case "ResponseHeaderModifier": {
        const err = headerModifier(f.responseHeaderModifier!, (out.responseHeaders ??= { set: [], add: [], remove: [] }), "ResponseHeaderModifier");
        if (err) accepted(err);
        break;
      }
      case "URLRewrite": {
        const err = urlRewrite(f.urlRewrite!, out);
        if (err) accepted(err);
        break;
      }
      case "RequestRedirect": {
        const err = redirect(f.requestRedirect!, out);
        if (err) accepted(err);
        break;
      }
      case "RequestMirror":
        mirror(graph, route, f.requestMirror!, ancestor, out);
        break;
      case "CORS":
        out.cors = cors(f.cors!);
        break;
      case "ExtensionRef": {
        const ext = f.extensionRef!;
        // Gatehouse has no filter extensions: an ExtensionRef names a kind we cannot act on.
        out.directResponseStatus = 500;
        accepted(`Invalid filter ExtensionRef: unknown kind ${ext.group ?? ""}/${ext.kind ?? ""}`);
        break;
      }
    }
  }
  if (out.mirrors.length > 0 && out.redirect) {
    out.redirect = undefined;
    out.mirrors = [];
    out.problems.push({
      type: "Accepted",
      reason: "IncompatibleFilters",
      message: "RequestMirror filter cannot be used when the rule also configures a RequestRedirect filter",
    });
  }
  if (out.requestHeaders && isEmptyModifier(out.requestHeaders)) out.requestHeaders = undefined;
  if (out.responseHeaders && isEmptyModifier(out.responseHeaders)) out.responseHeaders = undefined;
  return out;
}

function unsupported(out: FilterOutcome, message: string): void {
  out.directResponseStatus = 500;
  out.problems.push({ type: "ResolvedRefs", reason: "UnsupportedValue", message });
}

function validHostname(h: string): string | undefined {
  if (isIP(h) !== 0) return `hostname ${JSON.stringify(h)} cannot be an IP address`;
  return hostnameError(h, { wildcard: false });
}

function pathModifier(p: { type?: string; replaceFullPath?: string; replacePrefixMatch?: string }, what: string): PathModifier | string {
  if (p.type === "ReplaceFullPath") {
    if (p.replacePrefixMatch !== undefined) return `replacePrefixMatch cannot be set when ${what} path type is ReplaceFullPath`;
    if (p.replaceFullPath === undefined) return `replaceFullPath must be set when ${what} path type is ReplaceFullPath`;
    return { type: "ReplaceFullPath", value: p.replaceFullPath };
  }
  if (p.type === "ReplacePrefixMatch") {
    if (p.replaceFullPath !== undefined) return `replaceFullPath cannot be set when ${what} path type is ReplacePrefixMatch`;
    if (p.replacePrefixMatch === undefined) return `replacePrefixMatch must be set when ${what} path type is ReplacePrefixMatch`;
    return { type: "ReplacePrefixMatch", value: p.replacePrefixMatch };
  }
  return `${what} path type ${String(p.type)} is invalid, only ReplaceFullPath and ReplacePrefixMatch are supported`;
}

function urlRewrite(r: NonNullable<HTTPRouteFilter["urlRewrite"]>, out: FilterOutcome): string | undefined {
  if (out.urlRewrite && (r.hostname !== undefined || r.path !== undefined)) {
    return "Cannot configure multiple URLRewrite filters for a single rule";
  }
  const rewrite: URLRewrite = {};
  if (r.hostname !== undefined) {
    const err = validHostname(r.hostname);
    if (err) return `URLRewrite: ${err}`;
    rewrite.hostname = r.hostname;
  }
  if (r.path) {
    const p = pathModifier(r.path, "URLRewrite");
    if (typeof p === "string") return p;
    rewrite.path = p;
  }
  out.urlRewrite = rewrite;
  return undefined;
}

function redirect(r: NonNullable<HTTPRouteFilter["requestRedirect"]>, out: FilterOutcome): string | undefined {
  if (out.redirect) return "Cannot configure multiple RequestRedirect filters for a single rule";
  const redir: Redirect = { statusCode: 302 };
  if (r.scheme !== undefined) {
    if (r.scheme !== "http" && r.scheme !== "https") return `Redirect scheme ${r.scheme} is unsupported, only http and https are supported`;
    redir.scheme = r.scheme;
  }
  if (r.hostname !== undefined) {
    const err = validHostname(r.hostname);
    if (err) return `RequestRedirect: ${err}`;
    redir.hostname = r.hostname;
  }
  if (r.path) {
    const p = pathModifier(r.path, "RequestRedirect");
    if (typeof p === "string") return p;
    redir.path = p;
  }
  if (r.statusCode !== undefined) {
    if (![301, 302, 303, 307, 308].includes(r.statusCode)) return `Redirect status code ${r.statusCode} is not supported`;
    redir.statusCode = r.statusCode as Redirect["statusCode"];
  }
  if (r.port !== undefined) redir.port = r.port;
  else out.redirectPortFromListener = true;
  out.redirect = redir;
  return undefined;
}

function mirror(
  graph: TranslationGraph,
  route: RouteNode,
  m: NonNullable<HTTPRouteFilter["requestMirror"]>,
  ancestor: ParentReference,
  out: FilterOutcome,
): void {
  const res = resolveBackend(graph, route, { ...(m.backendRef ?? {}), weight: 1 }, { ancestor });
  if (res.problem) {
    out.problems.push({ ...res.problem, message: `RequestMirror: ${res.problem.message}` });
    return;
  }
  if (res.unavailable) out.problems.push(res.unavailable);
  let percent: number | undefined;
  if (m.fraction) percent = (100 * (m.fraction.numerator ?? 0)) / (m.fraction.denominator ?? 100);
  else if (m.percent !== undefined) percent = m.percent;
  out.mirrors.push({ cluster: res.cluster!, ...(percent !== undefined && percent !== 100 ? { percent } : {}) });
}

function cors(c: NonNullable<HTTPRouteFilter["cors"]>): CORSPolicy {
  return {
    allowOrigins: asArray(c.allowOrigins),
    allowMethods: asArray(c.allowMethods),
    allowHeaders: asArray(c.allowHeaders),
    exposeHeaders: asArray(c.exposeHeaders),
    ...(c.allowCredentials !== undefined ? { allowCredentials: c.allowCredentials } : {}),
    ...(c.maxAge !== undefined ? { maxAgeSeconds: c.maxAge } : {}),
  };
}
