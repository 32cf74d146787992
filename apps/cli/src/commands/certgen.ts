// `gatehouse certgen`: one-off xDS PKI for clusters or hosts without cert-manager: a CA,
// the xds-server's serving certificate and the Envoy client certificate, as PEM files in
// --out-dir (laid out for `gatehouse bootstrap --cert-dir` and the xds-server's --tls-*
// flags) or as Kubernetes Secrets on stdout. Issuance and the lifetime checks are
// libs/pki's; durations go through the same parser as cert-manager's flags.
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { commandArgs } from "../command-line";

const USAGE = `usage: gatehouse certgen (--out-dir DIR | -o yaml) [options]

      --out-dir        write ca/, xds-server/ and envoy-client/ PEM folders here
  -o, --output         yaml: print Kubernetes Secrets to stdout instead
      --namespace      namespace of the Secrets (default gatehouse)
      --ca-validity    lifetime of the CA (default 8760h)
      --cert-validity  lifetime of the server and client certificates (default 48h)
      --key-type       rsa-2048, rsa-3072, rsa-4096, ec-p256 (default) or ec-p384
      --server-dns     DNS names of the xds-server's certificate, comma-separated
                       (default localhost,gatehouse-xds.gatehouse.svc,gatehouse-xds.gatehouse.svc.cluster.local)
      --server-ip      IP addresses of the xds-server's certificate (default 127.0.0.1,::1)
      --client-cn      common name of the Envoy client certificate (default gatehouse-envoy)
`;

/** Secret names and file names, as the deploy manifests and `gatehouse bootstrap` expect them. */
export const CERTGEN_SECRETS = { ca: "gatehouse-xds-ca", server: "gatehouse-xds-server-tls", client: "gatehouse-envoy-client-tls" } as const;

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

export async function run(argv: string[]): Promise<number> {
  const values = commandArgs("certgen", USAGE, argv, {
    "out-dir": { type: "string" },
    output: { type: "string", short: "o" },
    namespace: { type: "string", default: "gatehouse" },
    "ca-validity": { type: "string", default: "8760h" },
    "cert-validity": { type: "string", default: "48h" },
    "key-type": { type: "string", default: "ec-p256" },
    "server-dns": { type: "string", default: "localhost,gatehouse-xds.gatehouse.svc,gatehouse-xds.gatehouse.svc.cluster.local" },
    "server-ip": { type: "string", default: "127.0.0.1,::1" },
    "client-cn": { type: "string", default: "gatehouse-envoy" },
  });
  if (typeof values === "number") return values;
  const fail = (message: string) => (process.stderr.write(`gatehouse certgen: ${message}\n`), 2);
  if (!values["out-dir"] === !values.output) return fail(`give exactly one of --out-dir and -o yaml\n\n${USAGE}`);
  if (values.output && values.output !== "yaml") return fail(`-o must be yaml, got ${JSON.stringify(values.output)}`);

  const [pki, { parseDuration }] = await Promise.all([import("@gatehouse/pki"), import("@gatehouse/runtime")]);
  const durations: Record<string, number> = {};
  for (const flag of ["ca-validity", "cert-validity"] as const) {
    try {
      durations[flag] = parseDuration(values[flag]!);
    } catch (err) {
      return fail(`--${flag} ${JSON.stringify(values[flag])}: ${(err as Error).message}`);
    }
  }
  const policy = { caValidityMs: durations["ca-validity"], certValidityMs: durations["cert-validity"] };
  const errors = pki.lifetimeErrors(policy);
  if (errors.length) return fail(errors.join("\n"));
  const keyType = values["key-type"]!;
  if (!(pki.KEY_SPEC_NAMES as readonly string[]).includes(keyType)) return fail(`--key-type must be one of ${pki.KEY_SPEC_NAMES.join(", ")}`);
  const keySpec = pki.keySpecFromName(keyType as (typeof pki.KEY_SPEC_NAMES)[number]);

  const now = Date.now();
  const ca = pki.createCa({ keySpec, now, validityMs: policy.caValidityMs });
  const leaf = { ca, keySpec, now, validityMs: policy.certValidityMs };
  const server = pki.issueLeafWithKey({ ...leaf, usage: "server", commonName: "xds-server", dnsNames: list(values["server-dns"]!), ipAddresses: list(values["server-ip"]!) });
  const client = pki.issueLeafWithKey({ ...leaf, usage: "client", commonName: values["client-cn"]! });
  const folders: Record<keyof typeof CERTGEN_SECRETS, Record<string, string>> = {
    ca: { "ca.crt": ca.certPem, "ca.key": pki.privateKeyPem(ca.key) },
    server: { "tls.crt": server.certPem, "tls.key": pki.privateKeyPem(server.key), "ca.crt": ca.certPem },
    client: { "tls.crt": client.certPem, "tls.key": pki.privateKeyPem(client.key), "ca.crt": ca.certPem },
  };

  if (values["out-dir"]) {
    const names = { ca: "ca", server: "xds-server", client: "envoy-client" } as const;
    for (const [which, files] of Object.entries(folders) as [keyof typeof folders, Record<string, string>][]) {
      const dir = path.join(values["out-dir"], names[which]);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const [file, content] of Object.entries(files)) {
        const target = path.join(dir, file);
        await writeFile(target, content, { mode: file.endsWith(".key") ? 0o600 : 0o644 });
        await chmod(target, file.endsWith(".key") ? 0o600 : 0o644);
      }
    }
    process.stderr.write(
      `gatehouse certgen: wrote ${values["out-dir"]}/{ca,xds-server,envoy-client}/ (CA until ${new Date(pki.certificateInfo(ca.certPem).notAfter).toISOString()}, certificates until ${new Date(pki.certificateInfo(server.certPem).notAfter).toISOString()})\n`,
    );
    return 0;
  }

  const { stringify } = await import("yaml");
  const secrets = (Object.keys(folders) as (keyof typeof folders)[]).map((which) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: CERTGEN_SECRETS[which], namespace: values.namespace, labels: { "app.kubernetes.io/part-of": "gatehouse" } },
    type: which === "ca" ? "Opaque" : "kubernetes.io/tls",
    data: Object.fromEntries(Object.entries(folders[which]).map(([k, v]) => [k, Buffer.from(v).toString("base64")])),
  }));
  process.stdout.write(secrets.map((s) => stringify(s, { lineWidth: 0 })).join("---\n"));
  return 0;
}
