// Listener processor: supported route kinds, allowed namespaces, TLS configuration and
// certificates, hostnames and port conflicts, then the listener's conditions. A listener
// with any problem keeps its status (and its attached routes count) but gets no filter chain.
import { compileSelector, findListenerConflicts } from "@gatehouse/validation";
import { ConditionSet } from "../conditions";
import { GATEWAY_GROUP, asArray, type ListenerSpec } from "../kube-types";
import type { GatewayNode, ListenerNode, ListenerSetNode, RouteGroupKind, TranslationGraph } from "../graph";
import { lookup } from "../resource-set";
import { resolveGatewaySecretRef } from "./secret-refs";
import { checkFrontendValidation } from "./frontend-validation";
import { checkTLSOverlaps } from "./tls-overlaps";

/**
 * The listeners of a Gateway (no `owner`) or of a ListenerSet merged into it. Each listener is
 * validated on its own first; only those valid on their own take part in conflicts, so a
 * listener that can never be programmed (bad TLS block, unresolvable certificate...) does not
 * take a port or hostname away from a valid one. Listeners of one owner that conflict with
 * each other are all Conflicted; a listener that conflicts with a programmed one of `earlier`
 * (which takes precedence: the Gateway's own, then older ListenerSets) is the only one Conflicted.
 */
export function buildListeners(
  graph: TranslationGraph,
  gateway: GatewayNode,
  specs: ListenerSpec[] = asArray(gateway.spec.listeners),
  owner?: ListenerSetNode,
  earlier: readonly ListenerNode[] = [],
): ListenerNode[] {
  const listeners = specs.map((s) => newListener(gateway, s, owner));
  const dnsNames = new Map<ListenerNode, string[]>();
  for (const l of listeners) {
    setSupportedKinds(l);
    setAllowedNamespaces(graph, l);
    dnsNames.set(l, checkTLS(graph, l));
    checkFrontendValidation(graph, l);
    checkHostname(l);
  }
  markConflicts(listeners.filter(validOnItsOwn), earlier);
  for (const l of listeners) finishConditions(l);
  checkTLSOverlaps(listeners, dnsNames);
  return listeners;
}

/** No problem found in the listener itself (partly invalid certificates still leave it servable). */
function validOnItsOwn(l: ListenerNode): boolean {
  return !l.conditions.toArray().some(
    (c) => c.status === "False" && (c.type !== "ResolvedRefs" || c.reason !== PARTIALLY_INVALID) && ["Accepted", "Programmed", "ResolvedRefs"].includes(c.type),
  );
}

/**
 * Conflicted listeners are not accepted (spec: "ALL indistinct Listeners must not be accepted").
 * Indistinct listeners of one owner are Invalid together; a listener that only loses to one of
 * higher precedence finds its port taken: PortUnavailable (GEP-1713).
 */
function markConflicts(listeners: ListenerNode[], earlier: readonly ListenerNode[]): void {
  const shape = (l: ListenerNode) => ({ name: l.id, port: l.port, protocol: l.protocol, hostname: l.hostname, tlsMode: l.tlsMode });
  const own = findListenerConflicts(listeners.map(shape));
  const winners = earlier.filter((l) => l.ready).map(shape);
  for (const l of listeners) {
    const mutual = own.get(l.id);
    const lost = mutual || winners.length === 0 ? undefined : findListenerConflicts([...winners, shape(l)]).get(l.id);
    const c = mutual ?? lost;
    if (!c) continue;
    l.conditions.set("Conflicted", "True", c.reason, c.message);
    if (lost) {
      const message = `${c.message}: the port is taken by a listener of higher precedence`;
      l.conditions.set("Accepted", "False", "PortUnavailable", message);
      l.conditions.set("Programmed", "False", "PortUnavailable", message);
    } else {
      l.conditions.set("Accepted", "False", "Invalid", `${c.message}: conflicted listeners are not accepted`);
    }
  }
}

/** The namespace a listener's references and "Same" are relative to: its ListenerSet's, or the Gateway's. */
function ownerNamespace(l: ListenerNode): string {
  return l.listenerSet?.namespace ?? l.gateway.namespace;
}

function newListener(gateway: GatewayNode, s: ListenerSpec, owner?: ListenerSetNode): ListenerNode {
  const name = s.name ?? "";
  return {
    gateway,
    ...(owner ? { listenerSet: owner } : {}),
    id: owner ? `listenerset/${owner.namespace}/${owner.name}/${name}` : name,
    spec: s,
    name,
    port: s.port ?? 0,
    protocol: s.protocol ?? "",
    hostname: s.hostname ? s.hostname.toLowerCase() : undefined,
    conditions: new ConditionSet(owner ? owner.obj.metadata?.generation : gateway.generation),
    supportedKinds: [],
    attachedRoutes: 0,
    ready: false,
    allowsNamespace: () => false,
    certificates: [],
    http: [],
    tcp: [],
    udp: [],
  };
}

function kindsFor(l: ListenerNode): string[] | undefined {
  switch (l.protocol) {
    case "HTTP":
    case "HTTPS":
      return ["HTTPRoute", "GRPCRoute"];
    case "TLS":
      return l.spec.tls && (l.spec.tls.mode ?? "Terminate") === "Passthrough" ? ["TLSRoute"] : ["TCPRoute", "TLSRoute"];
    case "TCP":
      return ["TCPRoute"];
    case "UDP":
      return ["UDPRoute"];
    default:
      return undefined;
  }
}

function setSupportedKinds(l: ListenerNode): void {
  const canSupport = kindsFor(l);
  if (!canSupport) {
    l.supportedKinds = [];
    l.conditions.set(
      "Accepted",
      "False",
      "UnsupportedProtocol",
      `Protocol ${l.protocol} is unsupported, must be HTTP, HTTPS, TLS, TCP or UDP`,
    );
    return;
  }
  const requested = asArray(l.spec.allowedRoutes?.kinds);
  if (requested.length === 0) {
    l.supportedKinds = canSupport.map((kind) => ({ group: GATEWAY_GROUP, kind }));
    return;
  }
  const supported: RouteGroupKind[] = [];
  const unsupported: string[] = [];
  for (const k of requested) {
    if (k.group !== undefined && k.group !== GATEWAY_GROUP) {
      l.conditions.set("ResolvedRefs", "False", "InvalidRouteKinds", `Group ${k.group} is not supported, group must be ${GATEWAY_GROUP}`);
      continue;
    }
    if (k.kind && canSupport.includes(k.kind)) {
      if (!supported.some((s) => s.kind === k.kind)) supported.push({ group: GATEWAY_GROUP, kind: k.kind });
    } else {
      unsupported.push(String(k.kind));
    }
  }
  if (unsupported.length > 0) {
    l.conditions.set(
      "ResolvedRefs",
      "False",
      "InvalidRouteKinds",
      `${unsupported.join(", ")} not supported on a ${l.protocol} listener, kind must be one of ${canSupport.join(", ")}`,
    );
  }
  l.supportedKinds = supported;
}

function setAllowedNamespaces(graph: TranslationGraph, l: ListenerNode): void {
  const labelsOf = (ns: string) => namespaceLabels(graph, ns);
  const from = l.spec.allowedRoutes?.namespaces?.from ?? "Same";
  const gwNs = ownerNamespace(l);
  switch (from) {
    case "All":
      l.allowsNamespace = (ns) => labelsOf(ns) !== undefined;
      return;
    case "Selector": {
      const selector = l.spec.allowedRoutes?.namespaces?.selector;
      if (!selector) {
        l.conditions.set("Programmed", "False", "Invalid", 'allowedRoutes.namespaces.selector must be set when "from" is Selector');
        return;
      }
      const compiled = compileSelector(selector);
      if (!compiled.ok) {
        l.conditions.set("Programmed", "False", "Invalid", `allowedRoutes.namespaces.selector could not be parsed: ${compiled.error}`);
        return;
      }
      l.allowsNamespace = (ns) => {
        const labels = labelsOf(ns);
        return labels !== undefined && compiled.matches(labels);
      };
      return;
    }
    default:
      l.allowsNamespace = (ns) => ns === gwNs && labelsOf(ns) !== undefined;
  }
}

/** Validates the listener's TLS block; returns the DNS names of its valid certificates. */
const NO_NAMESPACE = Object.freeze({}) as Record<string, string>;

/**
 * Labels of a namespace, with kubernetes.io/metadata.name as the API server sets it; cached
 * per translation. Without Namespace objects in the input every namespace is taken to exist;
 * with them, a route in a namespace that does not exist cannot attach (as on a real cluster).
 */
export function namespaceLabels(graph: TranslationGraph, ns: string): Record<string, string> | undefined {
  let labels = graph.namespaceLabels.get(ns);
  if (labels === undefined) {
    const namespaces = graph.resources.namespaces;
    const obj = namespaces.size === 0 ? undefined : lookup(namespaces, undefined, ns);
    labels =
      namespaces.size === 0 || obj ? { ...(obj?.metadata?.labels ?? {}), "kubernetes.io/metadata.name": ns } : NO_NAMESPACE;
    graph.namespaceLabels.set(ns, labels);
  }
  return labels === NO_NAMESPACE ? undefined : labels;
}

function checkTLS(graph: TranslationGraph, l: ListenerNode): string[] {
  const tls = l.spec.tls;
  switch (l.protocol) {
    case "HTTP":
    case "TCP":
    case "UDP":
      if (tls) l.conditions.set("Programmed", "False", "Invalid", `Listener must not have TLS set when protocol is ${l.protocol}`);
      return [];
    case "HTTPS": {
      if (!tls) {
        l.conditions.set("Programmed", "False", "Invalid", "Listener must have TLS set when protocol is HTTPS");
        return [];
      }
      const mode = tls.mode ?? "Terminate";
      if (mode !== "Terminate") {
        l.conditions.set("Programmed", "False", "UnsupportedTLSMode", `TLS ${mode} mode is not supported on HTTPS, it must be Terminate`);
        return [];
      }
      l.tlsMode = "Terminate";
      if (asArray(tls.certificateRefs).length === 0) {
        l.conditions.set("Programmed", "False", "Invalid", "Listener must have at least 1 TLS certificate ref");
        return [];
      }
      return resolveCertificates(graph, l);
    }
    case "TLS": {
      if (!tls) {
        l.conditions.set("Programmed", "False", "Invalid", "Listener must have TLS set when protocol is TLS");
        return [];
      }
      const mode = tls.mode ?? "Terminate";
      if (mode === "Passthrough") {
        l.tlsMode = "Passthrough";
        if (asArray(tls.certificateRefs).length > 0) {
          l.conditions.set("Programmed", "False", "Invalid", "Listener must not have TLS certificate refs set for TLS mode Passthrough");
        }
        return [];
      }
      l.tlsMode = "Terminate";
      if (asArray(tls.certificateRefs).length === 0) {
        l.conditions.set("Programmed", "False", "Invalid", "Listener must have TLS certificate refs set for TLS mode Terminate");
        return [];
      }
      return resolveCertificates(graph, l);
    }
  }
  return [];
}

/** ResolvedRefs reason when some certificateRefs hold no usable key pair but others do. */
const PARTIALLY_INVALID = "PartiallyInvalidCertificateRef";

function resolveCertificates(graph: TranslationGraph, l: ListenerNode): string[] {
  const names: string[] = [];
  const invalid: string[] = [];
  const fail = (reason: string, message: string) => {
    l.conditions.set("ResolvedRefs", "False", reason, message);
    return names;
  };
  for (const ref of asArray(l.spec.tls?.certificateRefs)) {
    if ((ref.group ?? "") !== "") return fail("InvalidCertificateRef", "Listener's TLS certificate ref group must be unspecified/empty");
    if ((ref.kind ?? "Secret") !== "Secret") return fail("InvalidCertificateRef", "Listener's TLS certificate ref kind must be Secret");
    const resolved = resolveGatewaySecretRef(graph, ownerNamespace(l), ref, "Certificate ref", l.listenerSet ? "ListenerSet" : "Gateway");
    if (!resolved.ok && !resolved.invalidContent) return fail(resolved.notPermitted ? "RefNotPermitted" : "InvalidCertificateRef", resolved.message);
    if (!resolved.ok) {
      invalid.push(resolved.message);
      continue;
    }
    l.certificates.push(resolved.secretName);
    names.push(...resolved.dnsNames);
  }
  if (invalid.length === 0) return names;
  if (l.certificates.length === 0) return fail("InvalidCertificateRef", invalid.join("; "));
  // Some Secrets hold a usable key pair: the listener serves those (Envoy Gateway's behaviour).
  return fail(PARTIALLY_INVALID, `${invalid.length} of ${invalid.length + l.certificates.length} certificate refs are invalid, the others are served: ${invalid.join("; ")}`);
}

/** Hostname syntax is the CRD's business (see crd-violations.ts); here only what the protocol allows. */
function checkHostname(l: ListenerNode): void {
  if (l.hostname && (l.protocol === "TCP" || l.protocol === "UDP")) {
    l.conditions.set("Programmed", "False", "Invalid", `Listener must not have hostname set when protocol is ${l.protocol}`);
  }
}

/**
 * No problem: Accepted, Programmed and ResolvedRefs are True and the listener is ready.
 * Otherwise it is not programmed. It stays Accepted when only its references are broken (its
 * configuration is valid, it waits for them); a listener whose own configuration is invalid
 * generates no data plane configuration and so is not Accepted (spec: ListenerConditionAccepted).
 */
function finishConditions(l: ListenerNode): void {
  const c = l.conditions;
  // Partly invalid certificates alone still leave a listener that serves the valid ones.
  const onlyPartialCertificates = c.size === 1 && c.get("ResolvedRefs")?.reason === PARTIALLY_INVALID;
  if (c.size === 0 || onlyPartialCertificates) {
    c.set("Accepted", "True", "Accepted", "Listener has been successfully translated");
    c.set("Programmed", "True", "Programmed", "Sending translated listener configuration to the data plane");
    c.setDefault("ResolvedRefs", "True", "ResolvedRefs", "Listener references have been resolved");
    l.ready = true;
    return;
  }
  l.ready = false;
  const invalid = c.get("Programmed");
  if (invalid) {
    // An unsupported value (a TLS mode) or an invalid one: the listener itself cannot be configured.
    c.setDefault("Accepted", "False", invalid.reason === "UnsupportedTLSMode" ? "UnsupportedValue" : "Invalid", invalid.message);
  } else {
    c.setDefault("Accepted", "True", "Accepted", "Listener is accepted, but some of its references are not resolved");
  }
  c.setDefault("Programmed", "False", "Invalid", "Listener is invalid, see other Conditions for details");
  c.setDefault("ResolvedRefs", "True", "ResolvedRefs", "Listener references have been resolved");
}
