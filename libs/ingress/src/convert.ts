// Ingresses (with their IngressClasses and Services) to Gateway API objects and a report per
// Ingress. Pure: the same input gives the same output, byte for byte, whatever its order.
import type { KubeObject } from "@gatehouse/gatewayapi";
import { validateObject } from "@gatehouse/validation";
import { readAnnotations } from "./annotations/registry";
import { serviceIndex } from "./backends";
import type { CanaryBackend } from "./canaries";
import { resolveClaims, type ClaimingIngress } from "./claims";
import { claimKey, describeClaim, ingressEntries, type PathEntry } from "./entries";
import { GatewayPlanner, type GatewayPlan } from "./gateways";
import { decideClass, defaultIngressClass } from "./ingress-class";
import { namespaceOf, objectRef, type ObjectRef } from "@gatehouse/kube";
import { annotationsOf, ingressRef, refText, type Ingress, type IngressClass, type Service } from "./ingress-types";
import type { IngressSettings } from "./annotations/family";
import { ingressShapeError } from "./ingress-shape";
import { resolveOptions, type ConvertOptions } from "./options";
import { ReportBuilder, type IngressReport } from "./report";
import { buildRoutes, CONVERTED_FROM } from "./routes";

/** Objects as read from files or the bus: their shape is checked, not assumed. */
export interface ConversionInput {
  ingresses: KubeObject[];
  ingressClasses?: KubeObject[];
  services?: KubeObject[];
}

export interface ConversionResult {
  /** GatewayClass, Gateways, ReferenceGrants, then routes, each kind sorted by namespace/name. */
  objects: KubeObject[];
  /** One per Ingress, sorted by namespace/name. */
  reports: IngressReport[];
}

interface Work extends ClaimingIngress {
  ingress: Ingress;
  settings: IngressSettings;
  plan: GatewayPlan;
}

const KIND_ORDER = ["GatewayClass", "Gateway", "ReferenceGrant", "HTTPRoute", "GRPCRoute", "TLSRoute"];

/** Older first: creationTimestamp, then namespace/name (objects without a timestamp first). */
export function byAge(a: Ingress, b: Ingress): number {
  const ta = String(a.metadata?.creationTimestamp ?? "");
  const tb = String(b.metadata?.creationTimestamp ?? "");
  if (ta !== tb) return Date.parse(ta || "0") - Date.parse(tb || "0") || ta.localeCompare(tb);
  return `${namespaceOf(a)}/${a.metadata?.name ?? ""}`.localeCompare(`${namespaceOf(b)}/${b.metadata?.name ?? ""}`);
}

export function convertIngresses(input: ConversionInput, options: ConvertOptions = {}): ConversionResult {
  const opts = resolveOptions(options);
  const classList = (input.ingressClasses ?? []) as IngressClass[];
  const classes = new Map(classList.map((c) => [c.metadata?.name ?? "", c]));
  const defaultClass = defaultIngressClass(classList);
  const services = serviceIndex((input.services ?? []) as Service[]);
  const planner = new GatewayPlanner(opts);
  const reports: ReportBuilder[] = [];
  const primaries: Work[] = [];
  const canaryWork: Work[] = [];

  for (const ingress of [...(input.ingresses as Ingress[])].sort(byAge)) {
    const ref: ObjectRef = ingressRef(ingress);
    const report = new ReportBuilder(ref);
    reports.push(report);
    const shape = ingressShapeError(ingress);
    if (shape) {
      Object.assign(report.report, { selected: true, classReason: "not read" });
      report.problem(`${shape}; the Ingress is not converted`);
      continue;
    }
    const decision = decideClass(ingress, classes, defaultClass, opts);
    Object.assign(report.report, { ingressClass: decision.className, selected: decision.selected, classReason: decision.reason });
    if (!decision.selected) continue;
    const settings = readAnnotations(annotationsOf(ingress), report);
    const plan = planner.gatewayFor(decision.className);
    const entries = ingressEntries(ingress, settings, services, report);
    const work: Work = { ingress, ref, report, settings, plan, entries };
    (settings.canary ? canaryWork : primaries).push(work);
  }

  // Listeners first (oldest Ingress first), so a host's routes find its HTTPS listener
  // whichever Ingress defined it.
  for (const w of primaries) planner.addTls(w.plan, w.ingress, w.ref, w.report, w.settings.passthrough);

  const winners = new Map<GatewayPlan, ReturnType<typeof resolveClaims>>();
  for (const plan of new Set(primaries.map((w) => w.plan))) winners.set(plan, resolveClaims(primaries.filter((w) => w.plan === plan)));

  const canaries = new Map<Work, Map<PathEntry, CanaryBackend>>(primaries.map((w) => [w, new Map()]));
  for (const c of canaryWork) attachCanary(c, winners.get(c.plan), canaries);

  const routes: KubeObject[] = [];
  for (const w of primaries) {
    routes.push(...buildRoutes({ ingress: w.ingress, ref: w.ref, settings: w.settings, entries: w.entries, canaries: canaries.get(w)!, plan: w.plan, planner, report: w.report }));
  }

  const byRef = new Map(reports.map((r) => [refText(r.report.ingress), r]));
  const objects: KubeObject[] = [];
  const seen = new Set<string>();
  for (const obj of [...planner.objects(), ...routes]) {
    const id = `${obj.kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;
    const owner = byRef.get(String(obj.metadata?.annotations?.[CONVERTED_FROM] ?? ""));
    if (seen.has(id)) {
      owner?.problem(`${obj.kind} ${obj.metadata?.namespace}/${obj.metadata?.name} has the name of another generated object; not carried over`);
      continue;
    }
    const violations = validateObject(obj as Parameters<typeof validateObject>[0]);
    if (violations.length > 0) {
      const text = `${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata?.name} is not valid Gateway API (${violations[0].path}: ${violations[0].message}); not carried over`;
      if (owner) owner.problem(text);
      else for (const r of reports) if (r.report.selected) r.problem(text);
      continue;
    }
    seen.add(id);
    objects.push(obj);
    owner?.report.generated.push(objectRef(obj));
  }
  objects.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind ?? "") - KIND_ORDER.indexOf(b.kind ?? "") ||
      (a.metadata?.namespace ?? "").localeCompare(b.metadata?.namespace ?? "") ||
      (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  );
  const out = reports.map((r) => r.report);
  for (const r of out) r.generated.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name));
  out.sort((a, b) => `${a.ingress.namespace}/${a.ingress.name}`.localeCompare(`${b.ingress.namespace}/${b.ingress.name}`));
  return { objects, reports: out };
}

function attachCanary(c: Work, winners: ReturnType<typeof resolveClaims> | undefined, canaries: Map<Work, Map<PathEntry, CanaryBackend>>): void {
  // A canary need not repeat its primary's use-regex or rewrite-target: as in ingress-nginx,
  // the host and path as written pair them too.
  const byWritten = new Map([...(winners?.values() ?? [])].map((w) => [w.entry.written, w]));
  for (const e of c.entries) {
    if (e.implicit) continue;
    const winner = winners?.get(claimKey(e)) ?? byWritten.get(e.written);
    if (!winner) {
      c.report.problem(`${e.source}: canary for ${describeClaim(e)} has no primary Ingress with that host and path; not carried over`);
      continue;
    }
    const primary = winner.owner as Work;
    if (primary.ref.namespace !== c.ref.namespace) {
      c.report.problem(`${e.source}: canary for ${describeClaim(e)} is in another namespace than its primary ${refText(primary.ref)}; not carried over`);
      continue;
    }
    const existing = canaries.get(primary)!.get(winner.entry);
    if (existing) {
      c.report.problem(`${e.source}: ${describeClaim(e)} already has the canary ${refText(existing.from)}; not carried over`);
      continue;
    }
    canaries.get(primary)!.set(winner.entry, { backend: e.backend, canary: c.settings.canary!, from: c.ref });
    const into = c.report.report.canaryOf;
    if (!into.some((r) => r.name === primary.ref.name && r.namespace === primary.ref.namespace)) into.push(primary.ref);
  }
}
