// Secret: a listener certificate and key, delivered by SDS. The key is inline because SDS
// is how it reaches Envoy; outputs meant for people redact it (see redactSecret).
import type { TLSSecret } from "@gatehouse/ir";
import type { JsonObject } from "./json";
import { SECRET_TYPE, type EnvoyResource } from "./resource-type";

export const REDACTED = "[redacted]";

export function buildSecret(secret: TLSSecret): EnvoyResource {
  const json: JsonObject = {
    name: secret.name,
    tls_certificate: {
      certificate_chain: { inline_string: secret.certificateChain },
      private_key: { inline_string: secret.privateKey },
    },
  };
  return { name: secret.name, typeUrl: SECRET_TYPE.typeUrl, json, origins: [] };
}

/** A copy with the private key replaced, as Envoy's own config dump shows secrets. */
export function redactSecret(json: JsonObject): JsonObject {
  const cert = json.tls_certificate as JsonObject | undefined;
  if (!cert || cert.private_key === undefined) return json;
  return { ...json, tls_certificate: { ...cert, private_key: { inline_string: REDACTED } } };
}
