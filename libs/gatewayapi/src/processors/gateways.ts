// Gateway processor: every Gateway of one of our classes becomes a GatewayNode. Gateway-level
// checks (addresses, parameters, the backend client certificate) set its conditions;
// listeners are built and validated by listeners.ts and decide Accepted; finishGateways() sets
// Programmed and the ResolvedRefs summary once ListenerSets have merged in, and
// status.addresses from the proxy Service when there is one (gateway-addresses.ts), whose
// Deployment must then have an available replica (proxy-availability.ts).
import { isIP } from "node:net";
import { hostnameError } from "@gatehouse/validation";
import { ConditionSet } from "../conditions";
import { asArray, spec, type GatewaySpec } from "../kube-types";
import type { GatewayNode, ListenerNode, TranslationGraph } from "../graph";
import { crdViolations, violationMessage } from "../crd-violations";
import { proxyObjectName } from "@gatehouse/kube";
import { addressVerdict, findProxyObject, serviceAddresses } from "../gateway-addresses";
import { availabilityVerdict } from "../proxy-availability";
import { resolveGatewayParameters } from "./gateway-parameters";
import { checkInsecureFrontendMode } from "./frontend-validation";
import { buildListeners } from "./listeners";
import { mergedListeners } from "./listener-sets";
import { resolveGatewaySecretRef } from "./secret-refs";

export function processGateways(graph: TranslationGraph): void {
  const index = graph.resources.gateways;
  for (const key of [...index.keys()].sort()) {
    const obj = index.get(key)!;
    const s = spec<GatewaySpec>(obj);
    if (!s.gatewayClassName || !graph.classes.get(s.gatewayClassName)?.accepted) continue;
    const node: GatewayNode = {
      obj,
      key,
      namespace: obj.metadata?.namespace || "default",
      name: obj.metadata!.name!,
      className: s.gatewayClassName,
      generation: obj.metadata?.generation,
      spec: s,
      conditions: new ConditionSet(obj.metadata?.generation),
      listeners: [],
      accepted: true,
      listenerSets: [],
    };
    const addressProblem = checkAddresses(s);
    if (addressProblem) {
      node.accepted = false;
      node.conditions.set("Accepted", "False", "UnsupportedAddress", addressProblem);
    }
    if (node.accepted) resolveGatewayParameters(graph, node);
    checkBackendClientCertificate(graph, node);
    const violations = node.accepted ? crdViolations(obj) : undefined;
    if (violations) {
      node.accepted = false;
      node.conditions.set("Accepted", "False", "Invalid", violationMessage(violations));
    }
    node.listeners = buildListeners(graph, node);
    acceptByListeners(node);
    checkInsecureFrontendMode(node);
    graph.gateways.set(key, node);
  }
}

function checkAddresses(s: GatewaySpec): string | undefined {
  for (const addr of asArray(s.addresses)) {
    const type = addr.type ?? "IPAddress";
    const value = addr.value ?? "";
    // No value asks for any address of the type (gateway-addresses.ts reports whether one is assigned).
    if (value === "" && (type === "IPAddress" || type === "Hostname")) continue;
    if (type === "IPAddress") {
      if (isIP(value) === 0) return `Address ${JSON.stringify(value)} is not a valid IP address`;
    } else if (type === "Hostname") {
      const err = hostnameError(value, { wildcard: false });
      if (err) return `Address ${JSON.stringify(value)}: ${err}`;
    } else {
      return `Address type ${type} is not supported; use IPAddress or Hostname`;
    }
  }
  return undefined;
}

/** spec.tls.backend.clientCertificateRef: the certificate Envoy presents to backends. */
function checkBackendClientCertificate(graph: TranslationGraph, node: GatewayNode): void {
  const ref = node.spec.tls?.backend?.clientCertificateRef;
  if (!ref) return;
  const set = (status: "True" | "False", reason: string, message: string) =>
    node.conditions.set("ResolvedRefs", status, reason, message);
  if ((ref.group ?? "") !== "" || (ref.kind ?? "Secret") !== "Secret") {
    set("False", "InvalidClientCertificateRef", `Client certificate ref must be a core Secret, not ${ref.group ?? ""}/${ref.kind}`);
    return;
  }
  const resolved = resolveGatewaySecretRef(graph, node.namespace, ref, "Client certificate ref");
  if (!resolved.ok) {
    set("False", resolved.notPermitted ? "RefNotPermitted" : "InvalidClientCertificateRef", resolved.message);
    return;
  }
  node.clientCertificate = resolved.secretName;
  set("True", "ResolvedRefs", "Client certificate resolved");
}

/**
 * What the managed proxies change (Kubernetes mode): status.addresses from the proxy Service,
 * and Programmed=False when spec.addresses cannot be honoured or no proxy replica is
 * available. The address reasons win over NoResources, as in Envoy Gateway: a Gateway
 * without its address is unreachable whatever its pods, and the address is what users wait
 * for first. Without a proxy Service (standalone, or not applied yet) nothing changes.
 */
function applyProxyState(graph: TranslationGraph, node: GatewayNode): void {
  const service = findProxyObject(graph.resources.services, node);
  if (!service) return;
  const verdict = addressVerdict(asArray(node.spec.addresses), serviceAddresses(service), service.metadata!.name!);
  node.addresses = verdict.addresses;
  if (node.conditions.get("Programmed")?.status !== "True") return;
  const override = verdict.programmed ?? availabilityVerdict(findProxyObject(graph.resources.deployments, node), proxyObjectName(node.name));
  if (override) node.conditions.set("Programmed", "False", override.reason, override.message);
}

/**
 * Accepted from the listeners (spec: GatewayReasonListenersNotValid, "Handling indistinct
 * Listeners"): every listener not Accepted (conflicted, unsupported protocol, invalid) makes
 * the reason ListenersNotValid, naming them and the accepted ones; with no accepted listener
 * the Gateway "effectively contains no Listeners" and is rejected as a whole (no IR).
 * Listeners waiting for references are still Accepted: they show in ResolvedRefs instead.
 */
function acceptByListeners(node: GatewayNode): void {
  if (!node.accepted) return;
  const invalid = node.listeners.filter((l) => l.conditions.has("Accepted", "False"));
  if (invalid.length === 0) {
    node.conditions.set("Accepted", "True", "Accepted", "The Gateway has been accepted by Gatehouse");
    return;
  }
  const accepted = node.listeners.filter((l) => !invalid.includes(l));
  const why = (l: ListenerNode) => {
    const conflict = l.conditions.get("Conflicted");
    return `${l.name} (${conflict?.status === "True" ? conflict.reason : l.conditions.get("Accepted")!.reason})`;
  };
  const notValid = `${invalid.length} of ${node.listeners.length} listeners are not valid: ${invalid.map(why).join(", ")}`;
  if (accepted.length === 0) {
    node.accepted = false;
    node.conditions.set("Accepted", "False", "ListenersNotValid", `${notValid}; no listener is accepted`);
  } else {
    node.conditions.set("Accepted", "True", "ListenersNotValid", `${notValid}; accepted: ${accepted.map((l) => l.name).join(", ")}`);
  }
}

/**
 * Conditions that need the whole listener set, ListenerSets included (runs after them).
 * Programmed: some listener of the Gateway or of its attached ListenerSets gets Envoy
 * configuration; not accepted or none programmed is Invalid (the data plane outcome, ACK or
 * NACK, is folded in later by xds-failures.ts). ResolvedRefs: the summary of the listeners'
 * (ListenersNotResolved) unless the Gateway's own references already failed.
 */
export function finishGateways(graph: TranslationGraph): void {
  for (const node of graph.gateways.values()) {
    if (!node.conditions.has("ResolvedRefs", "False")) {
      const unresolved = node.listeners.filter((l) => l.conditions.has("ResolvedRefs", "False"));
      if (unresolved.length > 0) {
        const names = unresolved.map((l) => `${l.name} (${l.conditions.get("ResolvedRefs")!.reason})`).join(", ");
        node.conditions.set("ResolvedRefs", "False", "ListenersNotResolved", `Listeners with unresolved references: ${names}`);
      } else {
        node.conditions.setDefault("ResolvedRefs", "True", "ResolvedRefs", "All references of the Gateway and its listeners are resolved");
      }
    }
    if (!node.accepted) {
      const accepted = node.conditions.get("Accepted");
      node.conditions.set("Programmed", "False", "Invalid", `The Gateway is not accepted (${accepted?.reason ?? "Invalid"}), so nothing is programmed`);
    } else {
      const all = mergedListeners(node);
      const ready = all.filter((l) => l.ready).length;
      if (ready === 0) {
        node.conditions.set("Programmed", "False", "Invalid", `None of the ${all.length} listeners of the Gateway can be programmed`);
      } else {
        node.conditions.set("Programmed", "True", "Programmed", `${ready} of ${all.length} listeners programmed`);
      }
    }
    applyProxyState(graph, node);
  }
}
