// The last pass of a conversion, over every Ingress's cached routes (cheap: no conversion):
// objects with the name of an earlier one are dropped (the older Ingress keeps the name),
// objects that are not valid Gateway API are dropped, and each is reported on the Ingress
// that produced it (or, for a Gateway, on every converted Ingress). Reports and objects that
// did not change keep their identity from the previous pass.
import { objectRef, type ObjectRef } from "@gatehouse/kube";
import type { KubeObject } from "@gatehouse/gatewayapi";
import { validateObject } from "@gatehouse/validation";
import type { IngressReport } from "./report";
import { ReportBuilder } from "./report";
import { CONVERTED_FROM } from "./routes";

export const KIND_ORDER = ["GatewayClass", "Gateway", "ReferenceGrant", "HTTPRoute", "GRPCRoute", "TLSRoute"];

/** What the pass reads of each Ingress, oldest first. */
export interface AssemblyInput {
  id: string;
  /** refText of the Ingress: what its routes' converted-from annotation says. */
  owner: string;
  report: IngressReport;
  routes: KubeObject[];
}

interface Final {
  base: IngressReport;
  added: string[];
  generated: KubeObject[];
  report: IngressReport;
}

export interface Assembly {
  /** By "kind/namespace/name", in output order before sorting. */
  objects: Map<string, KubeObject>;
  /** By Ingress "namespace/name". */
  reports: Map<string, IngressReport>;
  finals: Map<string, Final>;
  /** Per object, by identity: its id, and why it is invalid ("" when valid); unchanged objects are looked at once. */
  facts: WeakMap<KubeObject, { id: string; invalid: string }>;
  /** Planner objects by id with their JSON, so an unchanged Gateway keeps its identity. */
  planned: Map<string, { json: string; object: KubeObject }>;
  sortedObjects(): KubeObject[];
  sortedReports(): IngressReport[];
}

const idOf = (obj: KubeObject) => `${obj.kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;

function factsOf(obj: KubeObject): { id: string; invalid: string } {
  const violations = validateObject(obj as Parameters<typeof validateObject>[0]);
  const invalid = violations.length === 0 ? "" : `${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata?.name} is not valid Gateway API (${violations[0].path}: ${violations[0].message}); not carried over`;
  return { id: idOf(obj), invalid };
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function assemble(plannerObjects: KubeObject[], ordered: readonly AssemblyInput[], previous: Assembly | undefined): Assembly {
  const facts = previous?.facts ?? new WeakMap<KubeObject, { id: string; invalid: string }>();
  const planned = new Map<string, { json: string; object: KubeObject }>();
  const stable = plannerObjects.map((obj) => {
    const id = idOf(obj);
    const json = JSON.stringify(obj);
    const before = previous?.planned.get(id);
    const object = before && before.json === json ? before.object : obj;
    planned.set(id, { json, object });
    return object;
  });

  const byOwner = new Map<string, AssemblyInput>();
  for (const s of ordered) byOwner.set(s.owner, s);
  const added = new Map<AssemblyInput, string[]>();
  const generated = new Map<AssemblyInput, KubeObject[]>();
  const push = <T>(into: Map<AssemblyInput, T[]>, s: AssemblyInput, v: T) => {
    const list = into.get(s);
    if (list) list.push(v);
    else into.set(s, [v]);
  };
  const objects = new Map<string, KubeObject>();
  const take = (obj: KubeObject, owner: AssemblyInput | undefined) => {
    let f = facts.get(obj);
    if (!f) facts.set(obj, (f = factsOf(obj)));
    if (objects.has(f.id)) {
      if (owner) push(added, owner, `${obj.kind} ${obj.metadata?.namespace}/${obj.metadata?.name} has the name of another generated object; not carried over`);
      return;
    }
    if (f.invalid) {
      if (owner) push(added, owner, f.invalid);
      else for (const s of ordered) if (s.report.selected) push(added, s, f.invalid);
      return;
    }
    objects.set(f.id, obj);
    if (owner) push(generated, owner, obj);
  };
  for (const obj of stable) take(obj, byOwner.get(String(obj.metadata?.annotations?.[CONVERTED_FROM] ?? "")));
  // A route's owner is the Ingress it was built for (its converted-from annotation says so).
  for (const s of ordered) for (const obj of s.routes) take(obj, s);

  const reports = new Map<string, IngressReport>();
  const finals = new Map<string, Final>();
  for (const s of ordered) {
    const addedHere = added.get(s) ?? [];
    const generatedHere = generated.get(s) ?? [];
    const before = previous?.finals.get(s.id);
    let final: Final;
    if (before && before.base === s.report && sameList(before.added, addedHere) && sameList(before.generated, generatedHere)) final = before;
    else {
      const refs: ObjectRef[] = generatedHere.map((o) => objectRef(o)).sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name));
      const builder = new ReportBuilder(s.report.ingress);
      Object.assign(builder.report, { ...s.report, problems: [...s.report.problems], generated: [...s.report.generated, ...refs] });
      for (const text of addedHere) builder.problem(text);
      final = { base: s.report, added: addedHere, generated: generatedHere, report: builder.report };
    }
    finals.set(s.id, final);
    reports.set(s.id, final.report);
  }

  return {
    objects,
    reports,
    finals,
    facts,
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
