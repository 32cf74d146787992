// A Gateway's reference to a kubernetes.io/tls Secret (listener certificates, the backend
// client certificate): the ReferenceGrant check, the lookup and the key pair check are the
// same for both; only the condition reasons and wording differ, so callers map the failure.
import { GATEWAY_GROUP } from "../kube-types";
import type { TranslationGraph } from "../graph";
import { lookup } from "../resource-set";
import { parseTLSSecret } from "../tls-secrets";

export type SecretRefResult =
  | { ok: true; secretName: string; dnsNames: string[] }
  | { ok: false; notPermitted: boolean; message: string; invalidContent?: true };

/**
 * Resolves a Secret ref made from a Gateway in `gatewayNamespace` and registers the key pair
 * in graph.secrets. `what` names the ref in the RefNotPermitted message.
 */
export function resolveGatewaySecretRef(
  graph: TranslationGraph,
  gatewayNamespace: string,
  ref: { namespace?: string; name?: string },
  what: string,
  /** The kind making the reference (ReferenceGrants name it in `from`). */
  fromKind: "Gateway" | "ListenerSet" = "Gateway",
): SecretRefResult {
  const namespace = ref.namespace || gatewayNamespace;
  const name = ref.name ?? "";
  if (
    !graph.grants.permits(
      { group: GATEWAY_GROUP, kind: fromKind, namespace: gatewayNamespace },
      { group: "", kind: "Secret", namespace, name },
    )
  ) {
    return { ok: false, notPermitted: true, message: `${what} to Secret ${namespace}/${name} is not permitted by any ReferenceGrant` };
  }
  const secret = lookup(graph.resources.secrets, namespace, name);
  if (!secret) return { ok: false, notPermitted: false, message: `Secret ${namespace}/${name} does not exist` };
  const parsed = parseTLSSecret(secret);
  if (!parsed.ok) return { ok: false, notPermitted: false, message: parsed.error, invalidContent: true };
  const secretName = `${namespace}/${name}`;
  graph.secrets.set(secretName, { name: secretName, certificateChain: parsed.value.certificateChain, privateKey: parsed.value.privateKey });
  return { ok: true, secretName, dnsNames: parsed.value.dnsNames };
}
