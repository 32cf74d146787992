// Incremental conversion: holds the Ingresses, IngressClasses and Services, and on each update
// converts again only the Ingresses a change can affect, with output equal to converting
// everything afresh (convertIngresses is this engine run once). Ingresses are coupled only
// through the Gateway they share: its listeners (TLS hosts, oldest Ingress first), the host
// and path claims (oldest wins), canaries (paired by host and path) and object names. So:
//   - a changed Ingress is converted with every Ingress sharing a host with it on its
//     Gateway (transitively: claims are resolved over whole groups), before and after;
//   - listeners are planned again over every Ingress of the Gateway (cheap: TLS fields
//     only), and Ingresses whose hosts a changed listener covers, or whose TLS findings
//     changed, are converted again with their groups;
//   - a changed IngressClass converts the Ingresses whose class decision changed, a changed
//     Service the Ingresses naming it;
//   - name clashes and validation are settled in a final pass over the cached routes.
// Unchanged outputs keep their object identity, so callers see what changed by identity.
import { namespaceOf, objectRef, type ObjectRef } from "@gatehouse/kube";
import type { KubeObject } from "@gatehouse/gatewayapi";
import type { ServiceIndex } from "./backends";
import type { CanaryBackend } from "./canaries";
import { resolveClaims } from "./claims";
import type { PathEntry } from "./entries";
import { GatewayPlanner, hostCovers } from "./gateways";
import { decideClass, defaultIngressClass, DEFAULT_CLASS_ANNOTATION, type ClassDecision } from "./ingress-class";
import { ingressShapeError } from "./ingress-shape";
import { annotationsOf, asList, ingressRef, refText, type Ingress, type IngressClass, type Service } from "./ingress-types";
import { attachCanary } from "./canary-attach";
import { entryHosts, prepareIngress, referencedServices, type Work } from "./ingress-work";
import { resolveOptions, type ConvertOptions, type ResolvedOptions } from "./options";
import { assemble, type Assembly } from "./assemble";
import { ReportBuilder, type IngressReport } from "./report";
import { buildRoutes } from "./routes";

/** An Ingress whose status is ours to write, and the Gateway whose address it carries. */
export interface IngressStatusTarget {
  ingress: ObjectRef;
  generation: number;
  gateway: { namespace: string; name: string };
}

/** What one update changed, by identity: unchanged objects and reports are not listed. */
export interface ConversionDelta {
  /** Objects new or (possibly) changed since the last update, by "kind/namespace/name". */
  puts: KubeObject[];
  /** "kind/namespace/name" of objects no longer produced. */
  deletes: ObjectRef[];
  /** Reports new or changed. */
  reports: IngressReport[];
  /** "namespace/name" of Ingresses gone. */
  removedReports: string[];
  /** Ingresses converted in this update. */
  converted: number;
}

interface IngressState {
  id: string;
  ingress: Ingress;
  /** The parts of the object the conversion reads, as JSON: other changes (status, resourceVersion) convert nothing. */
  fingerprint: string;
  ref: ObjectRef;
  /** refText(ref): what its routes' converted-from annotation says. */
  owner: string;
  /** Sort key, oldest first (compareAge's order, computed once). */
  age: { time: number; stamp: string; id: string };
  shapeError?: string;
  decision: ClassDecision;
  /** Plan key of its Gateway when selected and readable. */
  planKey?: string;
  hosts: string[];
  services: string[];
  passthrough: boolean;
  canary: boolean;
  /** Problems its TLS gave when listeners were last planned. */
  tlsProblems: string[];
  /** Its report after conversion, before the final pass. */
  report: IngressReport;
  routes: KubeObject[];
}

export class IngressConversion {
  private readonly opts: ResolvedOptions;
  private readonly ingresses = new Map<string, IngressState>();
  private readonly classes = new Map<string, IngressClass>();
  private readonly classFingerprints = new Map<string, string>();
  private readonly services = new Map<string, Service>();
  private readonly serviceFingerprints = new Map<string, string>();
  /** Pending since the last update. */
  private readonly changedIngresses = new Map<string, Ingress | null>();
  private readonly changedServices = new Set<string>();
  private classesChanged = false;
  /** plan key -> host -> Ingress ids. */
  private readonly hostIndex = new Map<string, Map<string, Set<string>>>();
  /** "namespace/service" -> Ingress ids naming it. */
  private readonly serviceIndex = new Map<string, Set<string>>();
  private ordered: IngressState[] = [];
  private listeners = new Map<string, Map<string, string>>();
  private assembly: Assembly | undefined;
  /** Ingresses converted since the engine was made (the measure of incrementality). */
  conversions = 0;

  constructor(options: ConvertOptions = {}) {
    this.opts = resolveOptions(options);
  }

  /** Records an Ingress, IngressClass or Service (other kinds are ignored). */
  set(object: KubeObject): void {
    this.change(object.kind, object, object);
  }

  delete(ref: { kind: string; namespace?: string; name: string }): void {
    this.change(ref.kind, { kind: ref.kind, metadata: { namespace: ref.namespace, name: ref.name } }, null);
  }

  private change(kind: string | undefined, id: { kind?: string; metadata?: { namespace?: string; name?: string } }, object: KubeObject | null): void {
    const name = id.metadata?.name ?? "";
    if (kind === "Ingress") this.changedIngresses.set(`${namespaceOf(id)}/${name}`, object as Ingress | null);
    else if (kind === "IngressClass") {
      const print = object ? JSON.stringify([object.spec, annotationsOf(object)[DEFAULT_CLASS_ANNOTATION], object.metadata?.creationTimestamp]) : undefined;
      if (this.classFingerprints.get(name) === print) return;
      if (object) {
        this.classes.set(name, object as IngressClass);
        this.classFingerprints.set(name, print!);
      } else {
        this.classes.delete(name);
        this.classFingerprints.delete(name);
      }
      this.classesChanged = true;
    } else if (kind === "Service") {
      const key = `${namespaceOf(id)}/${name}`;
      const print = object ? JSON.stringify((object as Service).spec?.ports ?? null) : undefined;
      if (this.serviceFingerprints.get(key) === print) return;
      if (object) {
        this.services.set(key, object as Service);
        this.serviceFingerprints.set(key, print!);
      } else {
        this.services.delete(key);
        this.serviceFingerprints.delete(key);
      }
      this.changedServices.add(key);
    }
  }

  /** Converts what the changes since the last update affect. */
  update(): ConversionDelta {
    const before = this.conversions;
    const dirty = new Set<string>();
    /** (plan key, host) pairs Ingresses held before this update: their neighbours are affected too. */
    const vacated: [string, string][] = [];
    const forget = (s: IngressState) => {
      if (s.planKey !== undefined) for (const h of s.hosts) vacated.push([s.planKey, h]);
      this.unindex(s);
    };

    let reorder = false;
    let replaced = false;
    for (const [id, object] of this.changedIngresses) {
      const old = this.ingresses.get(id);
      if (!object) {
        if (old) {
          forget(old);
          this.ingresses.delete(id);
          reorder = true;
        }
        continue;
      }
      const fingerprint = fingerprintOf(object);
      if (old && old.fingerprint === fingerprint) {
        old.ingress = object;
        continue;
      }
      if (old) forget(old);
      const state = this.readState(id, object, fingerprint, old);
      if (!old || compareAge(old.age, state.age) !== 0) reorder = true;
      this.ingresses.set(id, state);
      replaced = true;
      dirty.add(id);
    }
    this.changedIngresses.clear();

    const classList = [...this.classes.values()];
    const classMap = this.classes;
    const defaultClass = defaultIngressClass(classList);
    if (this.classesChanged) {
      for (const s of this.ingresses.values()) {
        if (dirty.has(s.id)) continue;
        const decision = decideClass(s.ingress, classMap, defaultClass, this.opts);
        if (JSON.stringify(decision) === JSON.stringify(s.decision)) continue;
        forget(s);
        s.decision = decision;
        dirty.add(s.id);
      }
    }
    this.classesChanged = false;
    for (const key of this.changedServices) for (const id of this.serviceIndex.get(key) ?? []) dirty.add(id);
    this.changedServices.clear();
    for (const id of dirty) this.index(this.ingresses.get(id)!);

    // Oldest first; an edit that keeps the age keeps the order.
    if (reorder) this.ordered = [...this.ingresses.values()].sort((a, b) => compareAge(a.age, b.age));
    else if (replaced) this.ordered = this.ordered.map((s) => this.ingresses.get(s.id)!);
    // Keyed "namespace/name" like libs/ingress's ServiceIndex.
    const services: ServiceIndex = this.services;
    const planner = new GatewayPlanner(this.opts);
    const works = new Map<string, Work | undefined>();
    const reports = new Map<string, ReportBuilder>();
    const prepare = (ids: Iterable<string>) => {
      for (const id of ids) {
        const s = this.ingresses.get(id)!;
        const { report, work } = prepareIngress(s.ingress, s.ref, s.shapeError, s.decision, (c) => planner.gatewayFor(c), services);
        reports.set(id, report);
        works.set(id, work);
        if (work) {
          s.passthrough = work.settings.passthrough;
          s.canary = work.settings.canary !== undefined;
        }
        this.conversions++;
      }
    };

    const affected = this.closure(dirty, vacated);
    prepare(affected);

    // Listeners, planned again over every Ingress of each Gateway in age order.
    const tlsProblems = new Map<string, string[]>();
    for (const s of this.ordered) {
      if (s.planKey === undefined) continue;
      const plan = planner.gatewayFor(s.decision.className);
      // Without spec.tls or ssl-passthrough an Ingress adds no listener and no finding.
      if (s.canary || (!s.passthrough && asList(s.ingress.spec?.tls).length === 0)) continue;
      const scratch = new ReportBuilder(s.ref);
      planner.addTls(plan, s.ingress, s.ref, scratch, s.passthrough);
      tlsProblems.set(s.id, scratch.report.problems);
    }
    const listeners = planner.listenerSnapshot();
    const more = new Set<string>();
    for (const s of this.ordered) {
      if (affected.has(s.id) || s.planKey === undefined) continue;
      const now = tlsProblems.get(s.id) ?? [];
      if (now.length !== s.tlsProblems.length || now.some((p, i) => p !== s.tlsProblems[i])) more.add(s.id);
    }
    for (const [planKey, hosts] of changedListeners(this.listeners, listeners)) {
      for (const [host, ids] of this.hostIndex.get(planKey) ?? []) {
        if ([...hosts].some((l) => hostCovers(l, host))) for (const id of ids) if (!affected.has(id)) more.add(id);
      }
    }
    this.listeners = listeners;
    if (more.size > 0) {
      const extra = [...this.closure(more, [])].filter((id) => !affected.has(id));
      prepare(extra);
      for (const id of extra) affected.add(id);
    }

    // Claims, canaries and routes, per Gateway over the affected Ingresses in age order.
    const byPlan = new Map<string, { primaries: Work[]; canaries: Work[] }>();
    for (const s of this.ordered) {
      if (!affected.has(s.id)) continue;
      const report = reports.get(s.id)!;
      s.tlsProblems = tlsProblems.get(s.id) ?? [];
      for (const p of s.tlsProblems) report.problem(p);
      const work = works.get(s.id);
      if (!work) continue;
      let group = byPlan.get(s.planKey!);
      if (!group) byPlan.set(s.planKey!, (group = { primaries: [], canaries: [] }));
      (work.settings.canary ? group.canaries : group.primaries).push(work);
    }
    const routesOf = new Map<Work, KubeObject[]>();
    for (const { primaries, canaries: canaryWork } of byPlan.values()) {
      const winners = resolveClaims(primaries);
      const canaries = new Map<Work, Map<PathEntry, CanaryBackend>>(primaries.map((w) => [w, new Map()]));
      for (const c of canaryWork) attachCanary(c, winners, canaries);
      for (const w of primaries) {
        routesOf.set(w, buildRoutes({ ingress: w.ingress, ref: w.ref, settings: w.settings, entries: w.entries, canaries: canaries.get(w)!, plan: w.plan, planner, report: w.report }));
      }
    }
    for (const id of affected) {
      const s = this.ingresses.get(id)!;
      s.report = reports.get(id)!.report;
      const work = works.get(id);
      s.routes = work ? (routesOf.get(work) ?? []) : [];
    }

    const previous = this.assembly;
    this.assembly = assemble(planner.objects(), this.ordered, previous);
    return { ...diffAssemblies(previous, this.assembly), converted: this.conversions - before };
  }

  /** Everything, sorted: what convertIngresses returns. */
  result(): { objects: KubeObject[]; reports: IngressReport[] } {
    if (!this.assembly) this.update();
    return { objects: this.assembly!.sortedObjects(), reports: this.assembly!.sortedReports() };
  }

  /** The Ingresses whose status is ours (class of our controller, converted), by "namespace/name". */
  statusTargets(): Map<string, IngressStatusTarget> {
    const out = new Map<string, IngressStatusTarget>();
    for (const s of this.ingresses.values()) {
      if (s.planKey === undefined || !s.decision.controlled) continue;
      const generation = Number(s.ingress.metadata?.generation ?? 0);
      out.set(s.id, { ingress: s.ref, generation: Number.isFinite(generation) ? generation : 0, gateway: GatewayPlanner.gatewayOf(this.opts, s.decision.className) });
    }
    return out;
  }

  private readState(id: string, ingress: Ingress, fingerprint: string, old: IngressState | undefined): IngressState {
    const shapeError = ingressShapeError(ingress);
    const decision = shapeError ? { className: "", selected: true, reason: "not read", controlled: false } : decideClass(ingress, this.classes, defaultIngressClass([...this.classes.values()]), this.opts);
    return {
      id,
      ingress,
      fingerprint,
      ref: ingressRef(ingress),
      owner: refText(ingressRef(ingress)),
      age: ageOf(ingress),
      shapeError,
      decision,
      hosts: shapeError ? [] : entryHosts(ingress),
      services: shapeError ? [] : referencedServices(ingress),
      passthrough: old?.passthrough ?? false,
      canary: old?.canary ?? false,
      tlsProblems: old?.tlsProblems ?? [],
      report: old?.report ?? new ReportBuilder(ingressRef(ingress)).report,
      routes: old?.routes ?? [],
    };
  }

  private index(s: IngressState): void {
    s.planKey = !s.shapeError && s.decision.selected ? GatewayPlanner.keyFor(this.opts, s.decision.className) : undefined;
    if (s.planKey !== undefined) {
      let hosts = this.hostIndex.get(s.planKey);
      if (!hosts) this.hostIndex.set(s.planKey, (hosts = new Map()));
      for (const h of s.hosts) {
        if (!hosts.has(h)) hosts.set(h, new Set());
        hosts.get(h)!.add(s.id);
      }
    }
    for (const key of s.services) {
      if (!this.serviceIndex.has(key)) this.serviceIndex.set(key, new Set());
      this.serviceIndex.get(key)!.add(s.id);
    }
  }

  private unindex(s: IngressState): void {
    if (s.planKey !== undefined) for (const h of s.hosts) this.hostIndex.get(s.planKey)?.get(h)?.delete(s.id);
    for (const key of s.services) this.serviceIndex.get(key)?.delete(s.id);
  }

  /** `seeds` and every Ingress linked to them by a shared host on the same Gateway, transitively. */
  private closure(seeds: Iterable<string>, vacated: [string, string][]): Set<string> {
    const out = new Set<string>();
    const queue: string[] = [];
    const visit = (id: string) => {
      if (out.has(id) || !this.ingresses.has(id)) return;
      out.add(id);
      queue.push(id);
    };
    for (const id of seeds) visit(id);
    for (const [plan, host] of vacated) for (const id of this.hostIndex.get(plan)?.get(host) ?? []) visit(id);
    while (queue.length > 0) {
      const s = this.ingresses.get(queue.pop()!)!;
      if (s.planKey === undefined) continue;
      for (const h of s.hosts) for (const id of this.hostIndex.get(s.planKey)?.get(h) ?? []) visit(id);
    }
    return out;
  }
}

function ageOf(ingress: Ingress): IngressState["age"] {
  const stamp = String(ingress.metadata?.creationTimestamp ?? "");
  return { time: Date.parse(stamp || "0"), stamp, id: `${namespaceOf(ingress)}/${ingress.metadata?.name ?? ""}` };
}

/** Older first: creationTimestamp, then namespace/name (objects without a timestamp first). */
function compareAge(a: IngressState["age"], b: IngressState["age"]): number {
  if (a.stamp !== b.stamp) return a.time - b.time || a.stamp.localeCompare(b.stamp);
  return a.id.localeCompare(b.id);
}

function fingerprintOf(ingress: Ingress): string {
  const m = ingress.metadata;
  return JSON.stringify([ingress.kind, m?.namespace, m?.name, m?.creationTimestamp, m?.generation, m?.annotations, ingress.spec]);
}

/** Hostnames of listeners added, removed or changed, per plan key. */
function changedListeners(before: Map<string, Map<string, string>>, after: Map<string, Map<string, string>>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key) ?? new Map<string, string>();
    const b = after.get(key) ?? new Map<string, string>();
    const changed = new Set<string>();
    for (const host of new Set([...a.keys(), ...b.keys()])) if (a.get(host) !== b.get(host)) changed.add(host);
    if (changed.size > 0) out.set(key, changed);
  }
  return out;
}

function diffAssemblies(before: Assembly | undefined, after: Assembly): Omit<ConversionDelta, "converted"> {
  const puts: KubeObject[] = [];
  const deletes: ObjectRef[] = [];
  for (const [id, obj] of after.objects) if (before?.objects.get(id) !== obj) puts.push(obj);
  for (const [id, obj] of before?.objects ?? []) if (!after.objects.has(id)) deletes.push(objectRef(obj));
  const reports: IngressReport[] = [];
  for (const [id, r] of after.reports) if (before?.reports.get(id) !== r) reports.push(r);
  const removedReports = [...(before?.reports.keys() ?? [])].filter((id) => !after.reports.has(id));
  return { puts, deletes, reports, removedReports };
}
