// BackendTLSPolicy: which policy configures TLS to a Service port, and the policy's status.
// A policy naming the port (sectionName) beats one naming only the Service; among equals the
// oldest wins, then the first by namespace/name; the others are Conflicted. Status is written
// per ancestor: each Gateway (as the route's parentRef) that sends traffic to the Service.
import type { SubjectAltName, UpstreamTLS } from "@gatehouse/ir";
import { ConditionSet } from "./conditions";
import { asArray, spec, type BackendTLSPolicySpec, type Condition, type KubeObject, type ParentReference } from "./kube-types";
import { lookup, type ResourceSet } from "./resource-set";
import { caData, parseCABundle } from "./tls-secrets";
import { crdViolations, violationMessage } from "./crd-violations";

interface PolicyEntry {
  obj: KubeObject;
  key: string;
  created: string;
  spec: BackendTLSPolicySpec;
  /** Resolved once: the TLS settings, or why the policy cannot be used. */
  tls?: UpstreamTLS;
  conditions: ConditionSet;
  /** Ancestors by key, with whether this policy won for them. */
  ancestors: Map<string, { ref: ParentReference; conflicted: boolean }>;
}

export interface PolicyApplication {
  tls?: UpstreamTLS;
  /** "namespace/name" of the policy that applies. */
  policy?: string;
  /** The applicable policy is invalid: traffic must not go out without the TLS it asks for. */
  error?: string;
}

/** One entry of a policy's status.ancestors (PolicyAncestorStatus). */
export interface PolicyAncestorStatus {
  ancestorRef: ParentReference;
  controllerName: string;
  conditions: Condition[];
}

export class BackendTLSPolicies {
  private readonly byService = new Map<string, { entry: PolicyEntry; sectionName?: string }[]>();
  private readonly entries: PolicyEntry[] = [];

  constructor(private readonly resources: ResourceSet) {
    const all = [...resources.backendTLSPolicies.entries()].map(([key, obj]) => ({
      obj,
      key,
      created: obj.metadata?.creationTimestamp ?? "",
      spec: spec<BackendTLSPolicySpec>(obj),
      conditions: new ConditionSet(obj.metadata?.generation),
      ancestors: new Map<string, { ref: ParentReference; conflicted: boolean }>(),
    }));
    all.sort((a, b) => (a.created !== b.created ? (a.created < b.created ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const entry of all) {
      this.entries.push(entry);
      this.resolve(entry);
      const ns = entry.obj.metadata?.namespace || "default";
      for (const t of asArray(entry.spec.targetRefs)) {
        if ((t.group ?? "") !== "" || (t.kind ?? "") !== "Service" || !t.name) continue;
        const svcKey = `${ns}/${t.name}`;
        const list = this.byService.get(svcKey) ?? [];
        list.push({ entry, sectionName: t.sectionName });
        this.byService.set(svcKey, list);
      }
    }
  }

  /** The TLS settings for traffic to a Service port, recording `ancestor` on the policies involved. */
  apply(serviceNamespace: string, serviceName: string, portName: string, ancestor: ParentReference): PolicyApplication {
    const candidates = this.byService.get(`${serviceNamespace}/${serviceName}`);
    if (!candidates) return {};
    const matching = candidates.filter((c) => c.sectionName === undefined || c.sectionName === portName);
    if (matching.length === 0) return {};
    const sectioned = matching.filter((c) => c.sectionName !== undefined);
    const winner = (sectioned.length > 0 ? sectioned : matching)[0].entry;
    const ancestorKey = `${ancestor.namespace}/${ancestor.name}/${ancestor.sectionName ?? ""}/${ancestor.port ?? ""}`;
    for (const c of matching) {
      const prev = c.entry.ancestors.get(ancestorKey);
      const conflicted = c.entry !== winner;
      // Winning for any backend of an ancestor counts as winning there.
      c.entry.ancestors.set(ancestorKey, { ref: ancestor, conflicted: prev ? prev.conflicted && conflicted : conflicted });
    }
    const policy = winner.key;
    if (!winner.tls) {
      const accepted = winner.conditions.get("Accepted");
      return { policy, error: `BackendTLSPolicy ${policy} is invalid: ${accepted?.message ?? "unresolved"}` };
    }
    return { tls: winner.tls, policy };
  }

  private resolve(entry: PolicyEntry): void {
    const v = entry.spec.validation ?? {};
    const ns = entry.obj.metadata?.namespace || "default";
    const cas: string[] = [];
    let refProblem: { reason: string; message: string } | undefined;
    for (const ref of asArray(v.caCertificateRefs)) {
      const kind = ref.kind ?? "";
      if ((ref.group ?? "") !== "" || (kind !== "ConfigMap" && kind !== "Secret")) {
        refProblem ??= { reason: "InvalidKind", message: `CA certificate ref ${ref.group ?? ""}/${kind} must be a ConfigMap or Secret` };
        continue;
      }
      const obj = kind === "ConfigMap" ? lookup(this.resources.configMaps, ns, ref.name ?? "") : lookup(this.resources.secrets, ns, ref.name ?? "");
      if (!obj) {
        refProblem ??= { reason: "InvalidCACertificateRef", message: `${kind} ${ns}/${ref.name} does not exist` };
        continue;
      }
      const parsed = parseCABundle(caData(obj, kind === "Secret"));
      if (!parsed.ok) {
        refProblem ??= { reason: "InvalidCACertificateRef", message: `${kind} ${ns}/${ref.name}: ${parsed.error}` };
        continue;
      }
      cas.push(parsed.value);
    }
    const system = v.wellKnownCACertificates === "System";
    if (refProblem) entry.conditions.set("ResolvedRefs", "False", refProblem.reason, refProblem.message);
    else entry.conditions.set("ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references");
    if (v.wellKnownCACertificates !== undefined && !system) {
      entry.conditions.set("Accepted", "False", "Invalid", `wellKnownCACertificates ${v.wellKnownCACertificates} is not supported`);
      return;
    }
    // Some broken refs with some good ones: ResolvedRefs=False, but the policy works with the good ones.
    if (cas.length === 0 && !system) {
      entry.conditions.set("Accepted", "False", "NoValidCACertificate", refProblem?.message ?? "No CA certificate is configured");
      return;
    }
    if (!v.hostname) {
      entry.conditions.set("Accepted", "False", "Invalid", "validation.hostname must be set");
      return;
    }
    const sans: SubjectAltName[] = [];
    for (const s of asArray(v.subjectAltNames)) {
      if (s.type === "Hostname" && s.hostname) sans.push({ type: "Hostname", value: s.hostname });
      else if (s.type === "URI" && s.uri) sans.push({ type: "URI", value: s.uri });
    }
    entry.tls = {
      sni: v.hostname,
      ...(system ? { useSystemTrust: true } : { caCertificates: cas.join("") }),
      subjectAltNames: sans,
    };
    const violations = crdViolations(entry.obj);
    if (violations) {
      entry.conditions.set("Accepted", "False", "Invalid", violationMessage(violations));
      return;
    }
    entry.conditions.set("Accepted", "True", "Accepted", "Policy has been accepted");
  }

  /** Our status.ancestors entries of every policy that applied somewhere, in policy order (statuses.ts bounds them). */
  statuses(controllerName: string): { obj: KubeObject; ancestors: PolicyAncestorStatus[] }[] {
    const out: { obj: KubeObject; ancestors: PolicyAncestorStatus[] }[] = [];
    for (const entry of this.entries) {
      if (entry.ancestors.size === 0) continue;
      const ancestors = [...entry.ancestors.values()].map(({ ref, conflicted }): PolicyAncestorStatus => {
        const conditions = entry.conditions.toArray().map((c) => ({ ...c }));
        if (conflicted) {
          const gen = entry.obj.metadata?.generation;
          const idx = conditions.findIndex((c) => c.type === "Accepted");
          const cond = {
            type: "Accepted",
            status: "False" as const,
            reason: "Conflicted",
            message: "Another BackendTLSPolicy targets the same Service port with higher precedence",
            ...(gen !== undefined ? { observedGeneration: gen } : {}),
          };
          if (idx >= 0) conditions[idx] = cond;
          else conditions.push(cond);
        }
        return { ancestorRef: ancestorRef(ref), controllerName, conditions };
      });
      out.push({ obj: entry.obj, ancestors });
    }
    return out;
  }
}

function ancestorRef(ref: ParentReference): ParentReference {
  const out: ParentReference = { group: ref.group ?? "gateway.networking.k8s.io", kind: ref.kind ?? "Gateway", namespace: ref.namespace, name: ref.name };
  if (ref.sectionName !== undefined) out.sectionName = ref.sectionName;
  if (ref.port !== undefined) out.port = ref.port;
  return out;
}
