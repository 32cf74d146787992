// Envoy's rules, fed back into status. libs/xds validates every resource built from a
// Gateway's IR and cuts out what Envoy would reject (a route, a filter chain, a resource);
// this folds those failures into the statuses translate() produced, so the object behind
// the failure says why. Pure: the caller builds and validates (libs/gatewayapi does not
// depend on libs/xds) and passes plain records; ValidationFailure of @gatehouse/xds fits.
//
// Conditions (Gateway API spec):
// - route, some rules cut: Accepted stays True, PartiallyInvalid=True reason UnsupportedValue,
//   message "Dropped Rule(s) [i j]: ..." (the spec's "Drop Rule" approach, its required prefix);
//   every rule cut: Accepted=False reason UnsupportedValue.
// - Gateway listener whose filter chain or Envoy listener was cut: listener Programmed=False
//   reason Invalid.
// - BackendTLSPolicy whose cluster was left out: its ancestor entry for the Gateway gets
//   Accepted=False reason Invalid (PolicyReasonInvalid).
// - Anything else (a resource with no known origin): the Gateway's Programmed=False reason
//   Invalid, so no failure is ever silent.
import type { RouteSource } from "@gatehouse/ir";
import type { Condition, ParentReference } from "./kube-types";
import type { StatusUpdate } from "./statuses";

/** One thing Envoy would reject, and where it came from (structurally a libs/xds ValidationFailure). */
export interface XdsFailureRecord {
  resourceName: string;
  source?: RouteSource;
  /** Gateway listeners as "namespace/gateway/listenerName". */
  listeners?: string[];
  /** "namespace/name" of the BackendTLSPolicy behind the failing part. */
  policy?: string;
  /** "part": only a route or filter chain was cut; "resource": the whole resource was left out. */
  dropped: "part" | "resource";
  issues: readonly { path: string; rule: string; message: string }[];
}

export interface XdsFailureOptions {
  controllerName: string;
  /** Number of rules of a route, to tell a partly from a wholly cut route; undefined when unknown. */
  ruleCount(kind: string, namespace: string, name: string): number | undefined;
}

const DROPPED = /^Dropped Rule\(s\) \[([0-9 ]*)\]: ([\s\S]*)$/;

/**
 * The statuses with the failures of each Gateway ("namespace/name") folded in. Inputs are
 * not modified; statuses without anything to change are returned as they were.
 */
export function applyXdsFailures(
  statuses: readonly StatusUpdate[],
  failuresByGateway: ReadonlyMap<string, readonly XdsFailureRecord[]>,
  opts: XdsFailureOptions,
): StatusUpdate[] {
  const byId = new Map<string, number>();
  statuses.forEach((s, i) => byId.set(`${s.kind}/${s.namespace ?? ""}/${s.name}`, i));
  const out = [...statuses];
  const copied = new Set<number>();
  const edit = (kind: string, namespace: string, name: string): StatusUpdate | undefined => {
    const i = byId.get(`${kind}/${namespace}/${name}`);
    if (i === undefined) return undefined;
    if (!copied.has(i)) {
      out[i] = structuredClone(out[i]!);
      copied.add(i);
    }
    return out[i];
  };

  for (const gateway of [...failuresByGateway.keys()].sort()) {
    const failures = failuresByGateway.get(gateway) ?? [];
    const [gwNamespace = "", gwName = ""] = gateway.split("/");
    const routes = new Map<string, { source: RouteSource; rules: Map<number, string[]>; whole: string[] }>();
    const listeners = new Map<string, string[]>();
    const policies = new Map<string, string[]>();
    const unplaced: string[] = [];
    for (const f of failures) {
      const why = describe(f);
      if (f.source) {
        const key = `${f.source.kind}/${f.source.namespace}/${f.source.name}`;
        const entry = routes.get(key) ?? { source: f.source, rules: new Map<number, string[]>(), whole: [] };
        routes.set(key, entry);
        const rule = f.source.ruleIndex;
        if (rule === undefined) entry.whole.push(why);
        else entry.rules.set(rule, [...(entry.rules.get(rule) ?? []), `${ruleLabel(f.source)}: ${why}`]);
      } else if (f.policy) {
        policies.set(f.policy, [...(policies.get(f.policy) ?? []), why]);
      } else if (f.listeners && f.listeners.length > 0) {
        for (const l of f.listeners) listeners.set(l, [...(listeners.get(l) ?? []), why]);
      } else {
        unplaced.push(`${f.resourceName}: ${why}`);
      }
    }

    for (const { source, rules, whole } of routes.values()) {
      const status = edit(source.kind, source.namespace, source.name);
      if (!status) continue;
      const count = opts.ruleCount(source.kind, source.namespace, source.name);
      for (const parent of parentEntries(status, source.namespace, gwNamespace, gwName, opts.controllerName)) {
        foldRoute(parent.conditions, rules, whole, count);
      }
    }
    if (listeners.size > 0 || unplaced.length > 0) {
      const gw = edit("Gateway", gwNamespace, gwName);
      if (gw) foldGateway(gw, gwNamespace, gwName, listeners, unplaced);
    }
    for (const [policy, messages] of policies) {
      const [ns = "", name = ""] = policy.split("/");
      const status = edit("BackendTLSPolicy", ns, name);
      const ancestors = (status?.status.ancestors ?? []) as { ancestorRef?: ParentReference; controllerName?: string; conditions?: Condition[] }[];
      for (const a of ancestors) {
        if (a.controllerName !== opts.controllerName || !refersTo(a.ancestorRef, ns, gwNamespace, gwName)) continue;
        a.conditions ??= [];
        setCondition(a.conditions, "Accepted", "False", "Invalid", `Envoy would reject the upstream TLS built from this policy: ${messages.join("; ")}`);
      }
    }
  }
  return out;
}

function foldRoute(conditions: Condition[], rules: Map<number, string[]>, whole: string[], count: number | undefined): void {
  const accepted = conditions.find((c) => c.type === "Accepted");
  if (accepted?.status === "False") return;
  const partial = conditions.find((c) => c.type === "PartiallyInvalid" && c.status === "True");
  const earlier = partial ? DROPPED.exec(partial.message ?? "") : null;
  const dropped = new Set<number>([...rules.keys()]);
  for (const n of earlier?.[1]?.split(" ").filter(Boolean) ?? []) dropped.add(Number(n));
  const messages = [...whole, ...[...rules.entries()].sort(([a], [b]) => a - b).flatMap(([, m]) => m)];
  const envoy = `Envoy would reject ${messages.join("; ")}`;
  if (whole.length > 0 || (count !== undefined && dropped.size >= count)) {
    const index = conditions.findIndex((c) => c.type === "PartiallyInvalid");
    if (index >= 0) conditions.splice(index, 1);
    setCondition(conditions, "Accepted", "False", "UnsupportedValue", earlier ? `${earlier[2]}; ${envoy}` : envoy);
    return;
  }
  const list = [...dropped].sort((a, b) => a - b).join(" ");
  setCondition(conditions, "PartiallyInvalid", "True", "UnsupportedValue", `Dropped Rule(s) [${list}]: ${earlier ? `${earlier[2]}; ` : ""}${envoy}`);
}

function foldGateway(gw: StatusUpdate, namespace: string, name: string, listeners: Map<string, string[]>, unplaced: string[]): void {
  const entries = (gw.status.listeners ?? []) as { name?: string; conditions?: Condition[] }[];
  for (const entry of entries) {
    const messages = listeners.get(`${namespace}/${name}/${entry.name ?? ""}`);
    if (!messages) continue;
    entry.conditions ??= [];
    setCondition(entry.conditions, "Programmed", "False", "Invalid", `Envoy would reject this listener's configuration: ${messages.join("; ")}`);
  }
  if (unplaced.length > 0) {
    const conditions = ((gw.status.conditions ??= []) as Condition[]);
    setCondition(conditions, "Programmed", "False", "Invalid", `Left out of the Envoy configuration (Envoy would reject it): ${unplaced.join("; ")}`);
  }
}

/** Our parent entries of a route that point at the Gateway. */
function parentEntries(status: StatusUpdate, routeNamespace: string, gwNamespace: string, gwName: string, controllerName: string): { conditions: Condition[] }[] {
  const parents = (status.status.parents ?? []) as { parentRef?: ParentReference; controllerName?: string; conditions?: Condition[] }[];
  const out: { conditions: Condition[] }[] = [];
  for (const p of parents) {
    if (p.controllerName !== controllerName || !refersTo(p.parentRef, routeNamespace, gwNamespace, gwName)) continue;
    p.conditions ??= [];
    out.push(p as { conditions: Condition[] });
  }
  return out;
}

function refersTo(ref: ParentReference | undefined, defaultNamespace: string, gwNamespace: string, gwName: string): boolean {
  if (!ref) return false;
  if ((ref.group ?? "gateway.networking.k8s.io") !== "gateway.networking.k8s.io" || (ref.kind ?? "Gateway") !== "Gateway") return false;
  return (ref.namespace || defaultNamespace) === gwNamespace && ref.name === gwName;
}

/** Replaces the condition of that type in place (keeping its position and observedGeneration), or appends it. */
function setCondition(conditions: Condition[], type: string, status: "True" | "False", reason: string, message: string): void {
  const index = conditions.findIndex((c) => c.type === type);
  const generation = conditions.find((c) => c.observedGeneration !== undefined)?.observedGeneration;
  const cond: Condition = { type, status, reason, message };
  if (generation !== undefined) cond.observedGeneration = generation;
  if (index >= 0) conditions[index] = cond;
  else conditions.push(cond);
}

function ruleLabel(source: RouteSource): string {
  return source.matchIndex === undefined ? `rule ${source.ruleIndex}` : `rule ${source.ruleIndex} match ${source.matchIndex}`;
}

/** Where a route sits in its RouteConfiguration; left out so the message does not change when other routes move. */
const ROUTE_PREFIX = /^virtual_hosts\[\d+\]\.routes\[\d+\]\./;

function describe(f: XdsFailureRecord): string {
  const where = (path: string) => (f.source && f.source.ruleIndex !== undefined ? path.replace(ROUTE_PREFIX, "") : path);
  const issues = f.issues.map((i) => `${where(i.path) || "(resource)"} ${i.message} (${i.rule})`).join(", ");
  return issues || "invalid";
}
