// File-based SDS for the proxy's own xDS client credentials. The bootstrap points at two
// small files (normally a ConfigMap) that name the certificate files of the mounted Secret;
// Envoy watches the Secret's directory, so a renewed certificate is picked up without a
// restart (Kubernetes swaps the directory's ..data link, hence `watched_directory`).
import { typeUrlOf, type JsonObject } from "../resources/json";
import type { BootstrapOptions } from "./bootstrap-options";

export const XDS_CLIENT_CERT_SECRET = "xds_client_certificate";
export const XDS_TRUSTED_CA_SECRET = "xds_trusted_ca";
export const XDS_CLIENT_CERT_FILE = "xds-client-certificate.json";
export const XDS_TRUSTED_CA_FILE = "xds-trusted-ca.json";

const SECRET_TYPE_NAME = "envoy.extensions.transport_sockets.tls.v3.Secret";

/** An SdsSecretConfig that reads `file` from the SDS directory. */
export function fileSdsSecretConfig(secretName: string, file: string, opts: BootstrapOptions): JsonObject {
  return {
    name: secretName,
    sds_config: {
      path_config_source: { path: `${opts.sdsDir}/${file}`, watched_directory: { path: opts.certDir } },
      resource_api_version: "V3",
    },
  };
}

/** The two Secrets the SDS files hold, as proto3 JSON (without "@type"). */
export function sdsSecrets(opts: BootstrapOptions): { file: string; secret: JsonObject }[] {
  return [
    {
      file: XDS_CLIENT_CERT_FILE,
      secret: {
        name: XDS_CLIENT_CERT_SECRET,
        tls_certificate: {
          certificate_chain: { filename: `${opts.certDir}/tls.crt` },
          private_key: { filename: `${opts.certDir}/tls.key` },
        },
      },
    },
    {
      file: XDS_TRUSTED_CA_FILE,
      secret: { name: XDS_TRUSTED_CA_SECRET, validation_context: { trusted_ca: { filename: `${opts.certDir}/ca.crt` } } },
    },
  ];
}

/** File name to content, in the shape Envoy reads from a path_config_source (a DiscoveryResponse with resources). */
export function sdsFiles(opts: BootstrapOptions): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const { file, secret } of sdsSecrets(opts)) {
    out[file] = { resources: [{ "@type": typeUrlOf(SECRET_TYPE_NAME), ...secret }] };
  }
  return out;
}
