// The last pass of a conversion, over every Ingress's cached routes (cheap: no conversion):
// objects with the name of an earlier one are dropped (the older Ingress keeps the name),
// objects that are not valid Gateway API are dropped, and each is reported on the Ingress
// that produced it (or, for a Gateway, on every converted Ingress). Reports and objects that
// did not change keep their identity from the previous pass.
import { objectRef, type ObjectRef } from "@gatehouse/kube";
import type { KubeObject } from "@gatehouse/gatewayapi";
import { validateObject } from "@gatehouse/validation";
import { refText } from "./ingress-types";
import type { IngressReport } from "./report";
import { ReportBuilder } from "./report";
import { CONVERTED_FROM } from "./routes";

export const KIND_ORDER = ["GatewayClass", "Gateway", "ReferenceGrant", "HTTPRoute", "GRPCRoute", "TLSRoute"];

/** What the pass reads of each Ingress, oldest first. */
export interface AssemblyInput {
  id: string;
  report: IngressReport;
  routes: KubeObject[];
}

interface Final {
  base: IngressReport;
  added: string;
  report: IngressReport;
}

export interface Assembly {
  /** By "kind/namespace/name", in output order before sorting. */
  objects: Map<string, KubeObject>;
  /** By Ingress "namespace/name". */
  reports: Map<string, IngressReport>;
  finals: Map<string, Final>;
  /** Why an object is invalid ("" when valid), by identity: unchanged objects are validated once. */
  validity: WeakMap<KubeObject, string>;
  /** Planner objects by id with their JSON, so an unchanged Gateway keeps its identity. */
  planned: Map<string, { json: string; object: KubeObject }>;
  sortedObjects(): KubeObject[];
  sortedReports(): IngressReport[];
}

const idOf = (obj: KubeObject) => `${obj.kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;

export function assemble(plannerObjects: KubeObject[], ordered: readonly AssemblyInput[], previous: Assembly | undefined): Assembly {
  const validity = previous?.validity ?? new WeakMap<KubeObject, string>();
  const planned = new Map<string, { json: string; object: KubeObject }>();
  const stable = plannerObjects.map((obj) => {
    const id = idOf(obj);
    const json = JSON.stringify(obj);
    const before = previous?.planned.get(id);
    const object = before && before.json === json ? before.object : obj;
    planned.set(id, { json, object });
    return object;
  });

  const byRef = new Map(ordered.map((s) => [refText(s.report.ingress), s.id]));
  const added = new Map<string, string[]>(ordered.map((s) => [s.id, []]));
  const generated = new Map<string, ObjectRef[]>(ordered.map((s) => [s.id, []]));
  const objects = new Map<string, KubeObject>();
  const problem = (owner: string | undefined, text: string) => {
    if (owner !== undefined) added.get(owner)!.push(text);
    else for (const s of ordered) if (s.report.selected) added.get(s.id)!.push(text);
  };
  for (const obj of [...stable, ...ordered.flatMap((s) => s.routes)]) {
    const id = idOf(obj);
    const owner = byRef.get(String(obj.metadata?.annotations?.[CONVERTED_FROM] ?? ""));
    if (objects.has(id)) {
      if (owner !== undefined) problem(owner, `${obj.kind} ${obj.metadata?.namespace}/${obj.metadata?.name} has the name of another generated object; not carried over`);
      continue;
    }
    let invalid = validity.get(obj);
    if (invalid === undefined) {
      const violations = validateObject(obj as Parameters<typeof validateObject>[0]);
      invalid = violations.length === 0 ? "" : `${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata?.name} is not valid Gateway API (${violations[0].path}: ${violations[0].message}); not carried over`;
      validity.set(obj, invalid);
    }
    if (invalid) {
      problem(owner, invalid);
      continue;
    }
    objects.set(id, obj);
    if (owner !== undefined) generated.get(owner)!.push(objectRef(obj));
  }

  const reports = new Map<string, IngressReport>();
  const finals = new Map<string, Final>();
  for (const s of ordered) {
    const gen = generated.get(s.id)!.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name));
    const key = JSON.stringify([added.get(s.id), gen]);
    const before = previous?.finals.get(s.id);
    let final: Final;
    if (before && before.base === s.report && before.added === key) final = before;
    else {
      const builder = new ReportBuilder(s.report.ingress);
      Object.assign(builder.report, { ...s.report, problems: [...s.report.problems], generated: [...s.report.generated, ...gen] });
      for (const text of added.get(s.id)!) builder.problem(text);
      final = { base: s.report, added: key, report: builder.report };
    }
    finals.set(s.id, final);
    reports.set(s.id, final.report);
  }

  return {
    objects,
    reports,
    finals,
    validity,
    planned,
    sortedObjects: () =>
      [...objects.values()].sort(
        (a, b) =>
          KIND_ORDER.indexOf(a.kind ?? "") - KIND_ORDER.indexOf(b.kind ?? "") ||
          (a.metadata?.namespace ?? "").localeCompare(b.metadata?.namespace ?? "") ||
          (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
      ),
    sortedReports: () => [...reports.values()].sort((a, b) => `${a.ingress.namespace}/${a.ingress.name}`.localeCompare(`${b.ingress.namespace}/${b.ingress.name}`)),
  };
}
