// One Ingress prepared for conversion, on its own: its class decision, its annotations read
// into settings and its rules turned into path entries, each step writing its findings into
// the Ingress's report. What couples Ingresses (listeners, claims, canaries, names) happens
// after, over the Ingresses that share a Gateway and a host (conversion-engine.ts).
import { namespaceOf, type ObjectRef } from "@gatehouse/kube";
import type { IngressSettings } from "./annotations/family";
import { readAnnotations } from "./annotations/registry";
import type { ServiceIndex } from "./backends";
import type { ClaimingIngress } from "./claims";
import { ingressEntries, type PathEntry } from "./entries";
import type { GatewayPlan } from "./gateways";
import type { ClassDecision } from "./ingress-class";
import { annotationsOf, asList, type Ingress } from "./ingress-types";
import { ReportBuilder } from "./report";

/** A selected Ingress during one conversion. */
export interface Work extends ClaimingIngress {
  ingress: Ingress;
  ref: ObjectRef;
  report: ReportBuilder;
  settings: IngressSettings;
  plan: GatewayPlan;
  entries: PathEntry[];
}

/** Reads one Ingress: the report's class fields and annotation outcomes, and its entries (undefined when not selected or unreadable). */
export function prepareIngress(
  ingress: Ingress,
  ref: ObjectRef,
  shapeError: string | undefined,
  decision: ClassDecision,
  plan: (className: string) => GatewayPlan,
  services: ServiceIndex,
): { report: ReportBuilder; work?: Work } {
  const report = new ReportBuilder(ref);
  if (shapeError) {
    Object.assign(report.report, { selected: true, classReason: "not read" });
    report.problem(`${shapeError}; the Ingress is not converted`);
    return { report };
  }
  Object.assign(report.report, { ingressClass: decision.className, selected: decision.selected, classReason: decision.reason });
  if (!decision.selected) return { report };
  const settings = readAnnotations(annotationsOf(ingress), report);
  const entries = ingressEntries(ingress, settings, services, report);
  return { report, work: { ingress, ref, report, settings, plan: plan(decision.className), entries } };
}

/**
 * The hosts an Ingress's entries can claim ("" for rules without host and defaultBackend):
 * Ingresses sharing one may take paths from each other, so they are converted together.
 * Read from the spec alone (a superset of the hosts its entries end up with).
 */
export function entryHosts(ingress: Ingress): string[] {
  const hosts = new Set<string>();
  for (const rule of asList(ingress.spec?.rules)) hosts.add(typeof rule?.host === "string" ? rule.host.toLowerCase() : "");
  if (ingress.spec?.defaultBackend) hosts.add("");
  return [...hosts].sort();
}

/** "namespace/name" of every Service the Ingress's backends name. */
export function referencedServices(ingress: Ingress): string[] {
  const ns = namespaceOf(ingress);
  const names = new Set<string>();
  const add = (name: unknown) => typeof name === "string" && names.add(`${ns}/${name}`);
  add(ingress.spec?.defaultBackend?.service?.name);
  for (const rule of asList(ingress.spec?.rules)) for (const p of asList(rule?.http?.paths)) add(p?.backend?.service?.name);
  return [...names].sort();
}
