// Path entries (with their canaries) to HTTPRoute and GRPCRoute rules.
import type { IngressSettings } from "./annotations/family";
import type { ServiceRef } from "./backends";
import { cookieRegex, type CanaryBackend } from "./canaries";
import type { PathEntry } from "./entries";
import type { ReportBuilder } from "./report";

type Json = Record<string, unknown>;

const NGINX = "nginx.ingress.kubernetes.io/";
/** Annotations whose effect GRPCRoute cannot carry. */
const NOT_FOR_GRPC = [
  ...["rewrite-target", "upstream-vhost", "enable-cors", "proxy-read-timeout", "proxy-send-timeout", "permanent-redirect", "temporal-redirect", "app-root"].map((a) => NGINX + a),
  "nginx.org/rewrites",
  "nginx.org/proxy-read-timeout",
  "nginx.org/proxy-send-timeout",
];

function backendRef(b: ServiceRef, weight?: number): Json {
  const ref: Json = { name: b.name, port: b.port };
  if (weight !== undefined) ref.weight = weight;
  return ref;
}

/** backendRefs of the primary, split by weight with the canary when it has one. */
function weightedBackends(entry: PathEntry, canary: CanaryBackend | undefined): Json[] {
  if (canary?.canary.weight === undefined) return [backendRef(entry.backend)];
  const { weight, total } = canary.canary;
  return [backendRef(entry.backend, total - weight), backendRef(canary.backend, weight)];
}

/** Header matches that send a request to the canary, in ingress-nginx's precedence. */
function canaryHeaders(canary: CanaryBackend | undefined): Json[][] {
  const out: Json[][] = [];
  if (canary?.canary.header) out.push([{ type: canary.canary.header.type, name: canary.canary.header.name, value: canary.canary.header.value }]);
  if (canary?.canary.cookie) out.push([{ type: "RegularExpression", name: "Cookie", value: cookieRegex(canary.canary.cookie) }]);
  return out;
}

export function httpRules(entries: PathEntry[], canaries: Map<PathEntry, CanaryBackend>, settings: IngressSettings, appRoot: boolean): Json[] {
  const rules: Json[] = [];
  if (appRoot && settings.appRoot) {
    rules.push({
      matches: [{ path: { type: "Exact", value: "/" } }],
      filters: [{ type: "RequestRedirect", requestRedirect: { path: { type: "ReplaceFullPath", replaceFullPath: settings.appRoot }, statusCode: 302 } }],
    });
  }
  for (const entry of entries) {
    const canary = canaries.get(entry);
    const match = { path: { type: entry.match.type, value: entry.match.value } };
    const filters: Json[] = [];
    if (settings.redirect) {
      const r = settings.redirect;
      const redirect: Json = {};
      if (r.scheme) redirect.scheme = r.scheme;
      if (r.hostname) redirect.hostname = r.hostname;
      if (r.path) redirect.path = { type: "ReplaceFullPath", replaceFullPath: r.path };
      if (r.port) redirect.port = r.port;
      redirect.statusCode = r.statusCode;
      rules.push({ matches: [match], filters: [{ type: "RequestRedirect", requestRedirect: redirect }] });
      continue;
    }
    if (entry.rewrite || settings.upstreamVhost) {
      const rewrite: Json = {};
      if (settings.upstreamVhost) rewrite.hostname = settings.upstreamVhost;
      if (entry.rewrite) {
        rewrite.path =
          entry.rewrite.type === "ReplaceFullPath"
            ? { type: "ReplaceFullPath", replaceFullPath: entry.rewrite.value }
            : { type: "ReplacePrefixMatch", replacePrefixMatch: entry.rewrite.value };
      }
      filters.push({ type: "URLRewrite", urlRewrite: rewrite });
    }
    if (settings.cors) filters.push({ type: "CORS", cors: { ...settings.cors } });
    const common: Json = {};
    if (filters.length) common.filters = filters;
    if (settings.backendRequestTimeout) common.timeouts = { backendRequest: settings.backendRequestTimeout };
    for (const headers of canaryHeaders(canary)) rules.push({ matches: [{ ...match, headers }], ...common, backendRefs: [backendRef(canary!.backend)] });
    rules.push({ matches: [match], ...common, backendRefs: weightedBackends(entry, canary) });
  }
  return rules;
}

/** The GRPCRoute method match for an HTTP path, null for "every method", or why there is none. */
function grpcMethod(entry: PathEntry): Json | null | string {
  const { type, value } = entry.match;
  if (type === "PathPrefix" && value === "/") return null;
  const service = /^\/([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;
  const method = /^\/([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\/([A-Za-z_][A-Za-z0-9_]*)$/;
  if (type === "PathPrefix" && service.test(value)) return { type: "Exact", service: service.exec(value)![1] };
  if (type === "Exact" && method.test(value)) {
    const m = method.exec(value)!;
    return { type: "Exact", service: m[1], method: m[2] };
  }
  if (type === "PathPrefix" && method.test(value)) {
    const m = method.exec(value)!;
    return { type: "Exact", service: m[1], method: m[2] };
  }
  return `path ${value} (${type}) is not "/", a gRPC service ("/pkg.Service") or method ("/pkg.Service/Method")`;
}

export function grpcRules(entries: PathEntry[], canaries: Map<PathEntry, CanaryBackend>, report: ReportBuilder): Json[] {
  const rules: Json[] = [];
  if (entries.length > 0) {
    for (const key of NOT_FOR_GRPC) {
      if (report.has(key)) report.annotation(key, "", "partial", "not applied to the gRPC paths (GRPCRoute has no such field)");
    }
  }
  for (const entry of entries) {
    const method = grpcMethod(entry);
    if (typeof method === "string") {
      report.problem(`${entry.source}: ${method}; the gRPC path is not carried over`);
      continue;
    }
    const canary = canaries.get(entry);
    const base: Json = method ? { method } : {};
    for (const headers of canaryHeaders(canary)) rules.push({ matches: [{ ...base, headers }], backendRefs: [backendRef(canary!.backend)] });
    const rule: Json = method ? { matches: [base] } : {};
    rule.backendRefs = weightedBackends(entry, canary);
    rules.push(rule);
  }
  return rules;
}
