// One selected Ingress to its path entries: (host, match) -> backend, with the rewrite the
// annotations ask for. defaultBackend gives an explicit catch-all (no host, "/") and, on
// each host of the Ingress without its own "/" path, an implicit "/" that any explicit
// path of any Ingress overrides.
import type { IngressSettings } from "./annotations/family";
import { resolveBackend, type ServiceIndex, type ServiceRef } from "./backends";
import { namespaceOf } from "@gatehouse/kube";
import { asList, type Ingress } from "./ingress-types";
import { convertPath, type PathMatch, type PathModifier } from "./paths";
import type { ReportBuilder } from "./report";
import { hostnameError } from "@gatehouse/validation";

const REWRITE_TARGET = "nginx.ingress.kubernetes.io/rewrite-target";

export interface PathEntry {
  /** "" for every host. */
  host: string;
  match: PathMatch;
  backend: ServiceRef;
  rewrite?: PathModifier;
  grpc: boolean;
  /** From defaultBackend on a host: yields to any explicit path. */
  implicit: boolean;
  /** Where it came from, for the report ("rules[0].http.paths[1]"). */
  source: string;
  /** Host, path and pathType as written: how ingress-nginx pairs a canary with its primary. */
  written: string;
}

export function claimKey(e: Pick<PathEntry, "host" | "match">): string {
  return `${e.host}|${e.match.type}|${e.match.value}`;
}

export function describeClaim(e: Pick<PathEntry, "host" | "match">): string {
  return `host ${e.host || "*"} path ${e.match.value} (${e.match.type})`;
}

export function ingressEntries(ingress: Ingress, settings: IngressSettings, services: ServiceIndex, report: ReportBuilder): PathEntry[] {
  const ns = namespaceOf(ingress);
  const out: PathEntry[] = [];
  const hosts: string[] = [];
  const isGrpc = (b: ServiceRef) => settings.protocol === "GRPC" || settings.protocol === "GRPCS" || settings.grpcServices.has(b.name);

  asList(ingress.spec?.rules).forEach((rule, ri) => {
    const host = (rule?.host ?? "").toLowerCase();
    if (host !== "") {
      const err = hostnameError(host, { wildcard: true });
      if (err) {
        report.problem(`rules[${ri}]: host ${JSON.stringify(rule.host)} is not valid (${err}); the rule is not carried over`);
        return;
      }
    }
    if (!hosts.includes(host)) hosts.push(host);
    asList(rule?.http?.paths).forEach((p, pi) => {
      const source = `rules[${ri}].http.paths[${pi}]`;
      const backend = resolveBackend(p?.backend, ns, services);
      if (typeof backend === "string") {
        report.problem(`${source}: ${backend}; the path is not carried over`);
        return;
      }
      const serviceRewrite = settings.serviceRewrites.get(backend.name);
      const written = `${host}|${p?.path || "/"}|${p?.pathType ?? "ImplementationSpecific"}`;
      const converted = convertPath(p?.path, p?.pathType, settings.regex, settings.rewriteTarget);
      if (typeof converted === "string" && settings.canary) {
        // A canary's own match is never routed (its primary's is): it only has to pair up,
        // which the path as written does when the primary's annotations made it a regex.
        out.push({ host, match: { type: "PathPrefix", value: p?.path || "/" }, backend, grpc: isGrpc(backend), implicit: false, source, written });
        return;
      }
      if (typeof converted === "string") {
        report.problem(`${source}: ${converted}; the path is not carried over`);
        return;
      }
      if (converted.rewriteNote) report.annotation(REWRITE_TARGET, settings.rewriteTarget ?? "", converted.rewriteNote.outcome, converted.rewriteNote.message);
      let rewrite = converted.rewrite;
      if (!rewrite && serviceRewrite !== undefined) {
        rewrite = converted.match.type === "PathPrefix" ? { type: "ReplacePrefixMatch", value: serviceRewrite } : { type: "ReplaceFullPath", value: serviceRewrite };
      }
      const entry: PathEntry = { host, match: converted.match, backend, grpc: isGrpc(backend), implicit: false, source, written };
      if (rewrite) entry.rewrite = rewrite;
      out.push(entry);
    });
  });

  const def = ingress.spec?.defaultBackend;
  if (def) {
    const backend = resolveBackend(def, ns, services);
    if (typeof backend === "string") report.problem(`defaultBackend: ${backend}; not carried over`);
    else {
      const root: PathMatch = { type: "PathPrefix", value: "/" };
      const shadowed = out.some((e) => e.host === "" && e.match.type === "PathPrefix" && e.match.value === "/");
      out.push({ host: "", match: root, backend, grpc: isGrpc(backend), implicit: shadowed, source: "defaultBackend", written: "|defaultBackend" });
      for (const host of hosts) {
        if (host === "" || out.some((e) => e.host === host && e.match.type === "PathPrefix" && e.match.value === "/")) continue;
        out.push({ host, match: root, backend, grpc: isGrpc(backend), implicit: true, source: "defaultBackend", written: `${host}|defaultBackend` });
      }
    }
  }
  return out;
}
