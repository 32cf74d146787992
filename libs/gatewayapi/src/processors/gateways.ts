// Gateway processor: every Gateway of one of our classes becomes a GatewayNode. Gateway-level
// checks (addresses, parameters, the backend client certificate) set its conditions;
// listeners are built and validated by listeners.ts; status.addresses come from the proxy
// Service when there is one (gateway-addresses.ts).
import { isIP } from "node:net";
import { hostnameError } from "@gatehouse/validation";
import { ConditionSet } from "../conditions";
import { asArray, spec, type GatewaySpec } from "../kube-types";
import type { GatewayNode, TranslationGraph } from "../graph";
import { crdViolations, violationMessage } from "../crd-violations";
import { addressVerdict, findProxyService, serviceAddresses } from "../gateway-addresses";
import { resolveGatewayParameters } from "./gateway-parameters";
import { checkInsecureFrontendMode } from "./frontend-validation";
import { buildListeners } from "./listeners";
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
    finishGatewayConditions(node);
    applyProxyAddresses(graph, node);
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

/** status.addresses from the proxy Service, and Programmed=False when spec.addresses cannot be honoured. */
function applyProxyAddresses(graph: TranslationGraph, node: GatewayNode): void {
  const service = findProxyService(graph.resources.services, node);
  if (!service) return;
  const verdict = addressVerdict(asArray(node.spec.addresses), serviceAddresses(service), service.metadata!.name!);
  node.addresses = verdict.addresses;
  if (verdict.programmed && node.conditions.get("Programmed")?.status === "True") {
    node.conditions.set("Programmed", "False", verdict.programmed.reason, verdict.programmed.message);
  }
}

function finishGatewayConditions(node: GatewayNode): void {
  if (node.accepted) {
    node.conditions.set("Accepted", "True", "Accepted", "The Gateway has been accepted by Gatehouse");
  }
  const ready = node.listeners.filter((l) => l.ready).length;
  if (!node.accepted) {
    node.conditions.set("Programmed", "False", "Invalid", "The Gateway is not accepted");
  } else if (ready === 0 && node.listeners.length > 0) {
    node.conditions.set("Programmed", "False", "Invalid", "No listener of the Gateway is valid");
  } else {
    node.conditions.set("Programmed", "True", "Programmed", `${ready} of ${node.listeners.length} listeners programmed`);
  }
}
