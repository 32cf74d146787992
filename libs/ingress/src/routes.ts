// One converted Ingress to its routes. Hosts whose paths, listener and redirect are the same
// share a route (up to 16 hostnames); gRPC paths go to a GRPCRoute beside the HTTPRoute;
// hosts served over HTTPS with ssl-redirect get a redirect route on the HTTP listener;
// ssl-passthrough hosts get a TLSRoute each.
import type { KubeObject } from "@gatehouse/gatewayapi";
import type { IngressSettings } from "./annotations/family";
import type { CanaryBackend } from "./canaries";
import type { PathEntry } from "./entries";
import { GATEWAY_GROUP, HTTP_LISTENER, type GatewayPlan, type GatewayPlanner } from "./gateways";
import type { ObjectRef } from "@gatehouse/kube";
import { refText, type Ingress } from "./ingress-types";
import { chunk, MAX_HOSTNAMES, MAX_RULES, mergeRules } from "./limits";
import { httpRules, grpcRules } from "./rules";
import type { ReportBuilder } from "./report";

type Json = Record<string, unknown>;

export const CONVERTED_FROM = "gatehouse.dev/converted-from";
const FORCE_SSL = "nginx.ingress.kubernetes.io/force-ssl-redirect";
const MAX_NAME = 253;

export interface RouteInput {
  ingress: Ingress;
  ref: ObjectRef;
  settings: IngressSettings;
  entries: PathEntry[];
  canaries: Map<PathEntry, CanaryBackend>;
  plan: GatewayPlan;
  planner: GatewayPlanner;
  report: ReportBuilder;
}

interface HostGroup {
  hosts: string[];
  entries: PathEntry[];
  tlsSection?: string;
  /** HTTP is redirected to HTTPS for these hosts, so the route stays off the HTTP listener. */
  redirect: boolean;
  tls: boolean;
}

export function buildRoutes(input: RouteInput): KubeObject[] {
  const { settings, report } = input;
  if (settings.passthrough) return tlsRoutes(input);
  const groups = groupHosts(input);
  const out: KubeObject[] = [];
  const single = groups.length === 1;
  for (const g of groups) {
    const base = single ? input.ref.name : `${input.ref.name}-${g.hosts[0] ? slug(g.hosts[0]) : "any-host"}`;
    const parentRefs = mainParents(input, g);
    const http = g.entries.filter((e) => !e.grpc);
    const grpc = g.entries.filter((e) => e.grpc);
    if (http.length > 0 || settings.appRoot) {
      out.push(...split(input, "HTTPRoute", base, g.hosts, parentRefs, mergeRules(httpRules(http, input.canaries, settings, true))));
    }
    if (grpc.length > 0) {
      out.push(...split(input, "GRPCRoute", base, g.hosts, parentRefs, mergeRules(grpcRules(grpc, input.canaries, report))));
    }
  }
  const redirected = groups.filter((g) => g.redirect);
  for (const hostsOfKind of [redirected.filter((g) => g.hosts[0] === ""), redirected.filter((g) => g.hosts[0] !== "")]) {
    const hosts = [...new Set(hostsOfKind.flatMap((g) => g.hosts))].sort();
    if (hosts.length === 0) continue;
    const parentRefs = input.planner.generating ? [gatewayParent(input.plan, { sectionName: HTTP_LISTENER })] : [gatewayParent(input.plan, { port: 80 })];
    const rules = [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 308 } }] }];
    const name = `${input.ref.name}-https-redirect${hosts[0] === "" ? "-any-host" : ""}`;
    out.push(...split(input, "HTTPRoute", name, hosts, parentRefs, rules));
  }
  return out;
}

function groupHosts(input: RouteInput): HostGroup[] {
  const { settings, report, entries } = input;
  const byHost = new Map<string, PathEntry[]>();
  for (const e of entries) {
    if (!byHost.has(e.host)) byHost.set(e.host, []);
    byHost.get(e.host)!.push(e);
  }
  // app-root alone still needs a route for the hosts of the Ingress.
  const groups = new Map<string, HostGroup>();
  for (const host of [...byHost.keys()].sort()) {
    const hostEntries = byHost.get(host)!;
    const att = input.planner.attachment(input.plan, host, input.ingress);
    let redirect = false;
    if (!settings.redirect && att.tls && (settings.sslRedirect || settings.forceSslRedirect)) redirect = true;
    if (settings.forceSslRedirect && !att.tls) {
      report.annotation(FORCE_SSL, "", "partial", `host ${host || "*"} has no HTTPS listener: served over HTTP without a redirect`);
    }
    const signature = JSON.stringify([
      host === "",
      att.tlsSection ?? "",
      redirect,
      att.tls,
      hostEntries.map((e) => [e.match, e.backend, e.rewrite, e.grpc, input.canaries.get(e)?.backend, input.canaries.get(e)?.canary]),
    ]);
    const g = groups.get(signature);
    if (g) {
      g.hosts.push(host);
      g.entries.push(...hostEntries);
    } else {
      const group: HostGroup = { hosts: [host], entries: [...hostEntries], redirect, tls: att.tls };
      if (att.tlsSection) group.tlsSection = att.tlsSection;
      groups.set(signature, group);
    }
  }
  // Entries of hosts sharing a group are identical but for the host: keep one copy of each.
  for (const g of groups.values()) g.entries = g.entries.filter((e) => e.host === g.hosts[0]);
  return [...groups.values()];
}

function gatewayParent(plan: GatewayPlan, extra: Json): Json {
  return { group: GATEWAY_GROUP, kind: "Gateway", namespace: plan.namespace, name: plan.name, ...extra };
}

function mainParents(input: RouteInput, g: HostGroup): Json[] {
  const { plan } = input;
  if (!input.planner.generating) return [gatewayParent(plan, g.tls && g.redirect ? { port: 443 } : {})];
  const refs: Json[] = [];
  if (g.tlsSection) refs.push(gatewayParent(plan, { sectionName: g.tlsSection }));
  if (!g.redirect) refs.push(gatewayParent(plan, { sectionName: HTTP_LISTENER }));
  return refs;
}

/** Routes of one kind for `hosts`, split over the hostname and rule limits. */
function split(input: RouteInput, kind: string, base: string, hosts: string[], parentRefs: Json[], rules: Json[]): KubeObject[] {
  const hostChunks = chunk(hosts.filter((h) => h !== ""), MAX_HOSTNAMES);
  const ruleChunks = chunk(rules, MAX_RULES);
  const out: KubeObject[] = [];
  let part = 0;
  const parts = hostChunks.length * ruleChunks.length;
  if (parts > 1) {
    input.report.note(
      `${kind} ${base} is split in ${parts} routes (Gateway API allows ${MAX_RULES} rules and ${MAX_HOSTNAMES} hostnames a route); precedence between the rules of different parts follows Gateway API's route order`,
    );
  }
  for (const hs of hostChunks) {
    for (const rs of ruleChunks) {
      part++;
      const name = routeName(base, parts > 1 ? part : 0);
      const spec: Json = { parentRefs };
      if (hs.length > 0) spec.hostnames = hs;
      spec.rules = rs;
      out.push({
        apiVersion: `${GATEWAY_GROUP}/v1`,
        kind,
        metadata: { namespace: input.ref.namespace ?? "default", name, annotations: { [CONVERTED_FROM]: refText(input.ref) } },
        spec,
      });
    }
  }
  return out;
}

function tlsRoutes(input: RouteInput): KubeObject[] {
  const out: KubeObject[] = [];
  const hosts = [...new Set(input.entries.map((e) => e.host))].filter((h) => h !== "").sort();
  for (const host of hosts) {
    const entries = input.entries.filter((e) => e.host === host);
    const chosen = entries.find((e) => e.match.value === "/") ?? entries[0];
    for (const e of entries) if (e !== chosen) input.report.problem(`${e.source}: ssl-passthrough routes by host only: path ${e.match.value} is not carried over (${chosen.source} is used for ${host})`);
    let parentRefs: Json[];
    if (input.planner.generating) {
      const section = input.planner.passthroughSection(input.plan, host, input.ref);
      if (!section) continue;
      parentRefs = [gatewayParent(input.plan, { sectionName: section })];
    } else parentRefs = [gatewayParent(input.plan, { port: 443 })];
    out.push({
      apiVersion: `${GATEWAY_GROUP}/v1`,
      kind: "TLSRoute",
      metadata: { namespace: input.ref.namespace ?? "default", name: routeName(hosts.length === 1 ? input.ref.name : `${input.ref.name}-${slug(host)}`, 0), annotations: { [CONVERTED_FROM]: refText(input.ref) } },
      spec: { parentRefs, hostnames: [host], rules: [{ backendRefs: [{ name: chosen.backend.name, port: chosen.backend.port }] }] },
    });
  }
  return out;
}

function slug(host: string): string {
  return host.replace(/^\*\./, "wildcard.").replace(/\./g, "-");
}

function routeName(base: string, part: number): string {
  const suffix = part > 0 ? `-${part}` : "";
  return `${base.slice(0, MAX_NAME - suffix.length).replace(/[-.]+$/, "")}${suffix}`;
}
