// Frontend client certificate validation (Gateway spec.tls.frontend, GEP-91): listeners that
// terminate TLS (HTTPS, and TLS in Terminate mode, whose TLSRoutes then only see clients with a
// valid certificate) ask clients for a certificate and check it against CA bundles from
// ConfigMaps or Secrets.
// The port's perPort entry overrides the default. A broken CA reference is ResolvedRefs=False
// on the listener; with no usable CA at all the listener is not accepted (NoValidCACertificate),
// since serving it without the validation asked for would let every client in.
import { GATEWAY_GROUP, asArray, type FrontendValidation } from "../kube-types";
import type { GatewayNode, ListenerNode, TranslationGraph } from "../graph";
import { lookup } from "../resource-set";
import { caData, parseCABundle } from "../tls-secrets";

const INSECURE = "AllowInsecureFallback";

/** The validation that applies to listeners on `port`: the perPort entry, else the default. */
function validationFor(gateway: GatewayNode, port: number): FrontendValidation | undefined {
  const frontend = gateway.spec.tls?.frontend;
  if (!frontend) return undefined;
  const perPort = asArray(frontend.perPort).find((p) => p.port === port);
  return perPort ? perPort.tls?.validation : frontend.default?.validation;
}

/** Resolves the listener's client validation, or sets the conditions saying why it cannot. */
export function checkFrontendValidation(graph: TranslationGraph, l: ListenerNode): void {
  if ((l.protocol !== "HTTPS" && l.protocol !== "TLS") || l.tlsMode !== "Terminate") return;
  const validation = validationFor(l.gateway, l.port);
  if (!validation) return;
  // The references are written in the Gateway (even for a ListenerSet's listener on the port).
  const from = { kind: "Gateway", namespace: l.gateway.namespace };
  const cas: string[] = [];
  let problem: { reason: string; message: string } | undefined;
  for (const ref of asArray(validation.caCertificateRefs)) {
    const kind = ref.kind ?? "";
    const namespace = ref.namespace || from.namespace;
    const name = ref.name ?? "";
    if ((ref.group ?? "") !== "" || (kind !== "ConfigMap" && kind !== "Secret")) {
      problem ??= { reason: "InvalidCACertificateKind", message: `CA certificate ref ${ref.group ? `${ref.group}/` : ""}${kind} ${name} must be a core ConfigMap or Secret` };
      continue;
    }
    if (!graph.grants.permits({ group: GATEWAY_GROUP, kind: from.kind, namespace: from.namespace }, { group: "", kind, namespace, name })) {
      problem ??= { reason: "RefNotPermitted", message: `CA certificate ref to ${kind} ${namespace}/${name} is not permitted by any ReferenceGrant` };
      continue;
    }
    const obj = lookup(kind === "ConfigMap" ? graph.resources.configMaps : graph.resources.secrets, namespace, name);
    const parsed = obj ? parseCABundle(caData(obj, kind === "Secret")) : { ok: false as const, error: "does not exist" };
    if (!parsed.ok) {
      problem ??= { reason: "InvalidCACertificateRef", message: `CA certificate ref ${kind} ${namespace}/${name}: ${parsed.error}` };
      continue;
    }
    cas.push(parsed.value);
  }
  if (problem) l.conditions.set("ResolvedRefs", "False", problem.reason, problem.message);
  if (cas.length === 0) {
    l.conditions.set("Accepted", "False", "NoValidCACertificate", problem?.message ?? "No CA certificate to validate client certificates with");
    return;
  }
  l.clientValidation = { caCertificates: cas.join(""), allowInsecure: validation.mode === INSECURE };
}

/** The Gateway condition the spec asks for while any port accepts clients without a valid certificate. */
export function checkInsecureFrontendMode(gateway: GatewayNode): void {
  const frontend = gateway.spec.tls?.frontend;
  if (!frontend) return;
  const ports = asArray(frontend.perPort).filter((p) => p.tls?.validation?.mode === INSECURE).map((p) => p.port);
  if (frontend.default?.validation?.mode !== INSECURE && ports.length === 0) return;
  const where = frontend.default?.validation?.mode === INSECURE ? "by default" : `on port(s) ${ports.join(", ")}`;
  gateway.conditions.set(
    "InsecureFrontendValidationMode",
    "True",
    "ConfigurationChanged",
    `Client certificate validation is AllowInsecureFallback ${where}: connections without a valid client certificate are accepted`,
  );
}
