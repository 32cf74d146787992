// The Gateways the converted routes attach to. Generated mode: one Gateway per IngressClass
// with an "http" listener on 80 and, on 443, an HTTPS listener per TLS host (certificateRefs
// to the Ingress's Secret, a ReferenceGrant when that Secret lives in another namespace) or a
// TLS Passthrough listener per ssl-passthrough host. The oldest Ingress decides a hostname's
// listener. Existing mode: routes attach to the Gateway the user named and nothing is generated.
import { namespaceOf, type KubeObject, type ObjectMeta, type ObjectRef } from "@gatehouse/kube";
import { hostnameError } from "@gatehouse/validation";
import { asList, refText, type Ingress } from "./ingress-types";
import { UNCLASSED_GATEWAY, type ResolvedOptions } from "./options";
import type { ReportBuilder } from "./report";

export const GATEWAY_GROUP = "gateway.networking.k8s.io";
export const HTTP_LISTENER = "http";
const MAX_LISTENERS = 64;
const MAX_GRANT_TARGETS = 16;

export interface PlannedListener {
  name: string;
  protocol: "HTTPS" | "TLS";
  /** "" for no hostname (every host). */
  hostname: string;
  secret?: { namespace: string; name: string };
  owner: ObjectRef;
}

export interface GatewayPlan {
  namespace: string;
  name: string;
  ingressClass: string;
  /** By hostname ("" for none). */
  listeners: Map<string, PlannedListener>;
}

/** Where a route for one host attaches. */
export interface Attachment {
  /** The listener serving the host over TLS, if any (generated mode). */
  tlsSection?: string;
  /** The host is served over HTTPS (generated: a listener covers it; existing: the Ingress lists TLS for it). */
  tls: boolean;
}

/** Whether a listener (or TLS) hostname serves a rule host ("" on either side: every host). */
export function hostCovers(listenerHost: string, host: string): boolean {
  if (listenerHost === "" || listenerHost === host) return true;
  if (!listenerHost.startsWith("*.") || host === "") return false;
  const suffix = listenerHost.slice(1);
  if (host.startsWith("*.")) return host.slice(1).endsWith(suffix) && host.length > listenerHost.length;
  return host.endsWith(suffix) && host.length > suffix.length;
}

export class GatewayPlanner {
  private readonly plans = new Map<string, GatewayPlan>();
  private readonly usedNames = new Map<GatewayPlan, Set<string>>();

  constructor(private readonly opts: ResolvedOptions) {}

  /** The plan key of `ingressClass`'s Gateway: Ingresses with the same key share a Gateway. */
  static keyFor(opts: ResolvedOptions, ingressClass: string): string {
    return opts.gateway ? `existing/${opts.gateway.namespace}/${opts.gateway.name}` : ingressClass || UNCLASSED_GATEWAY;
  }

  /** The Gateway Ingresses of `ingressClass` attach to, whether generated or existing. */
  static gatewayOf(opts: ResolvedOptions, ingressClass: string): { namespace: string; name: string } {
    return opts.gateway ? { ...opts.gateway } : { namespace: opts.gatewayNamespace, name: ingressClass || UNCLASSED_GATEWAY };
  }

  /** The Gateway an Ingress of `ingressClass` attaches to. */
  gatewayFor(ingressClass: string): GatewayPlan {
    const key = GatewayPlanner.keyFor(this.opts, ingressClass);
    if (this.opts.gateway) {
      if (!this.plans.has(key)) this.plans.set(key, { ...this.opts.gateway, ingressClass: "", listeners: new Map() });
      return this.plans.get(key)!;
    }
    const name = key;
    if (!this.plans.has(name)) {
      const plan: GatewayPlan = { namespace: this.opts.gatewayNamespace, name, ingressClass, listeners: new Map() };
      this.plans.set(name, plan);
      this.usedNames.set(plan, new Set([HTTP_LISTENER]));
    }
    return this.plans.get(name)!;
  }

  get generating(): boolean {
    return this.opts.gateway === undefined;
  }

  /** Registers the TLS (and ssl-passthrough hosts) of an Ingress on its Gateway. */
  addTls(plan: GatewayPlan, ingress: Ingress, ref: ObjectRef, report: ReportBuilder, passthrough: boolean): void {
    const ns = namespaceOf(ingress);
    const ruleHosts = asList(ingress.spec?.rules).map((r) => (r?.host ?? "").toLowerCase());
    if (passthrough) {
      for (const host of new Set(ruleHosts)) {
        if (host === "") report.problem("ssl-passthrough needs a host on every rule: a rule without host is not carried over");
        else if (this.generating) this.addListener(plan, { protocol: "TLS", hostname: host, owner: ref }, report);
      }
      if (asList(ingress.spec?.tls).length > 0) report.problem("spec.tls is ignored under ssl-passthrough: TLS is terminated by the backend");
      return;
    }
    asList(ingress.spec?.tls).forEach((tls, ti) => {
      if (!tls?.secretName) {
        report.problem(`tls[${ti}]: no secretName (the controller's default certificate) cannot be carried over`);
        return;
      }
      const secret = { namespace: ns, name: tls.secretName };
      const hosts = asList(tls.hosts).map((h) => String(h).toLowerCase());
      if (!this.generating) {
        report.problem(`tls[${ti}]: Secret ${ns}/${tls.secretName} for ${hosts.join(", ") || "every host"} must be configured on Gateway ${plan.namespace}/${plan.name}'s HTTPS listeners (an existing Gateway is not changed)`);
        return;
      }
      if (hosts.length === 0) {
        this.addListener(plan, { protocol: "HTTPS", hostname: "", secret, owner: ref }, report);
        return;
      }
      for (const host of hosts) {
        const err = hostnameError(host, { wildcard: true });
        if (err) report.problem(`tls[${ti}]: host ${JSON.stringify(host)} is not valid (${err}); no listener`);
        else if (!ruleHosts.some((h) => hostCovers(host, h) || h === "")) report.problem(`tls[${ti}]: host ${host} matches no rule host; no listener`);
        else this.addListener(plan, { protocol: "HTTPS", hostname: host, secret, owner: ref }, report);
      }
    });
  }

  private addListener(plan: GatewayPlan, l: Omit<PlannedListener, "name">, report: ReportBuilder): void {
    const existing = plan.listeners.get(l.hostname);
    const what = `${l.protocol === "TLS" ? "TLS passthrough" : "HTTPS"} for ${l.hostname || "every host"}`;
    if (existing) {
      const same = existing.protocol === l.protocol && existing.secret?.namespace === l.secret?.namespace && existing.secret?.name === l.secret?.name;
      if (!same) report.problem(`${what}: the listener is already defined by the older ${refText(existing.owner)} (${existing.protocol}${existing.secret ? ` with Secret ${existing.secret.namespace}/${existing.secret.name}` : ""}); not carried over`);
      return;
    }
    if (plan.listeners.size + 1 >= MAX_LISTENERS) {
      report.problem(`${what}: Gateway ${plan.namespace}/${plan.name} already has ${MAX_LISTENERS} listeners; not carried over`);
      return;
    }
    const used = this.usedNames.get(plan)!;
    const base = l.hostname === "" ? (l.protocol === "TLS" ? "tls" : "https") : `${l.protocol === "TLS" ? "tls" : "https"}-${l.hostname.replace(/^\*\./, "wildcard.").replace(/\./g, "-")}`.slice(0, 240);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    plan.listeners.set(l.hostname, { ...l, name });
  }

  /** Where routes for `host` attach; `ingressTlsHosts` only matters for an existing Gateway. */
  attachment(plan: GatewayPlan, host: string, ingress: Ingress): Attachment {
    if (!this.generating) {
      const tlsHosts = asList(ingress.spec?.tls).flatMap((t) => (asList(t?.hosts).length ? asList(t.hosts).map((h) => String(h).toLowerCase()) : [""]));
      return { tls: tlsHosts.some((t) => hostCovers(t, host)) };
    }
    // The most specific HTTPS listener covering the host: exact, then the longest wildcard, then none.
    let best: PlannedListener | undefined;
    for (const l of plan.listeners.values()) {
      if (l.protocol !== "HTTPS" || !hostCovers(l.hostname, host)) continue;
      if (!best || l.hostname.length > best.hostname.length) best = l;
    }
    return best ? { tls: true, tlsSection: best.name } : { tls: false };
  }

  passthroughSection(plan: GatewayPlan, host: string, owner: ObjectRef): string | undefined {
    const l = plan.listeners.get(host);
    return l && l.protocol === "TLS" && refText(l.owner) === refText(owner) ? l.name : undefined;
  }

  /** Per plan key, each listener as text by hostname: what routes attach by, to see what changed. */
  listenerSnapshot(): Map<string, Map<string, string>> {
    const out = new Map<string, Map<string, string>>();
    for (const [key, plan] of this.plans) {
      out.set(key, new Map([...plan.listeners].map(([host, l]) => [host, JSON.stringify([l.name, l.protocol, l.secret, refText(l.owner)])])));
    }
    return out;
  }

  /** The GatewayClass, Gateways and ReferenceGrants to publish (none for an existing Gateway). */
  objects(): KubeObject[] {
    if (!this.generating || this.plans.size === 0) return [];
    const out: KubeObject[] = [
      { apiVersion: `${GATEWAY_GROUP}/v1`, kind: "GatewayClass", metadata: { name: this.opts.gatewayClassName }, spec: { controllerName: this.opts.gatewayControllerName } },
    ];
    const grants: KubeObject[] = [];
    for (const plan of [...this.plans.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const listeners: Record<string, unknown>[] = [{ name: HTTP_LISTENER, port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }];
      const bySecretNs = new Map<string, Set<string>>();
      for (const l of [...plan.listeners.values()].sort((a, b) => a.name.localeCompare(b.name))) {
        const listener: Record<string, unknown> = { name: l.name };
        if (l.hostname) listener.hostname = l.hostname;
        listener.port = 443;
        listener.protocol = l.protocol;
        if (l.protocol === "TLS") listener.tls = { mode: "Passthrough" };
        else {
          const ref: Record<string, string> = { group: "", kind: "Secret", name: l.secret!.name };
          if (l.secret!.namespace !== plan.namespace) {
            ref.namespace = l.secret!.namespace;
            if (!bySecretNs.has(l.secret!.namespace)) bySecretNs.set(l.secret!.namespace, new Set());
            bySecretNs.get(l.secret!.namespace)!.add(l.secret!.name);
          }
          listener.tls = { mode: "Terminate", certificateRefs: [ref] };
        }
        listener.allowedRoutes = { namespaces: { from: "All" } };
        listeners.push(listener);
      }
      const metadata: ObjectMeta = { namespace: plan.namespace, name: plan.name };
      if (plan.ingressClass) metadata.annotations = { "gatehouse.dev/ingress-class": plan.ingressClass };
      out.push({ apiVersion: `${GATEWAY_GROUP}/v1`, kind: "Gateway", metadata, spec: { gatewayClassName: this.opts.gatewayClassName, listeners } });
      for (const [ns, names] of [...bySecretNs].sort((a, b) => a[0].localeCompare(b[0]))) {
        const sorted = [...names].sort();
        for (let i = 0; i < sorted.length; i += MAX_GRANT_TARGETS) {
          const part = i / MAX_GRANT_TARGETS;
          grants.push({
            apiVersion: `${GATEWAY_GROUP}/v1beta1`,
            kind: "ReferenceGrant",
            metadata: { namespace: ns, name: `gateway-${plan.namespace}-${plan.name}${part ? `-${part + 1}` : ""}` },
            spec: {
              from: [{ group: GATEWAY_GROUP, kind: "Gateway", namespace: plan.namespace }],
              to: sorted.slice(i, i + MAX_GRANT_TARGETS).map((name) => ({ group: "", kind: "Secret", name })),
            },
          });
        }
      }
    }
    return [...out, ...grants];
  }
}
