// `gatehouse bootstrap`: the Envoy bootstrap for one Gateway's proxies (Delta ADS over mTLS
// to the xds-server, node.cluster = the Gateway key, admin on loopback, readiness and stats
// listeners by IP family). The bootstrap is validated like every pushed resource; with
// --write-sds the two SDS files it points at are written too. Without --xds-address it is
// for the running `gatehouse up` of --state-dir: its xDS address, IPv4, and (unless that `up`
// runs --insecure) the client certificate its cert-manager keeps. Logic: libs/xds/src/bootstrap.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { commandArgs } from "../command-line";
import { DEFAULT_STATE_DIR, readUpState } from "../up/up-state";

const USAGE = `usage: gatehouse bootstrap --gateway NS/NAME [--xds-address HOST:PORT] [options]

      --gateway          the Gateway whose proxies use this bootstrap (node.cluster)
      --xds-address      the xds-server, HOST:PORT or [IPV6]:PORT (default: the running
                         \`gatehouse up\` of --state-dir, with its IPv4 family, client
                         certificate and SDS folders, plaintext when it runs --insecure)
      --state-dir        the state folder of that \`gatehouse up\` (default .gatehouse)
      --ip-family        IPv4, IPv6 or DualStack (default DualStack): listener and admin addresses
      --cert-dir         directory of the client certificate: tls.crt, tls.key, ca.crt (default /etc/gatehouse/xds-client)
      --sds-dir          directory of the SDS files naming those certificates (default /etc/gatehouse/sds)
      --xds-server-name  name the xds-server's certificate must carry (default: the host of --xds-address)
      --node-id          node.id (default gatehouse-envoy; Envoy's --service-node overrides it per pod)
      --insecure         plaintext xDS (an xds-server without TLS: \`gatehouse up --insecure\`)
      --write-sds        also write the SDS files into --sds-dir
  -o, --format           yaml (default) or json
`;

export const FLAGS = {
  gateway: { type: "string" },
  "xds-address": { type: "string" },
  "state-dir": { type: "string" },
  insecure: { type: "boolean", default: false },
  "ip-family": { type: "string" },
  "cert-dir": { type: "string" },
  "sds-dir": { type: "string" },
  "xds-server-name": { type: "string" },
  "node-id": { type: "string" },
  "write-sds": { type: "boolean", default: false },
  format: { type: "string", short: "o", default: "yaml" },
} as const;

export async function run(argv: string[]): Promise<number> {
  const values = commandArgs("bootstrap", USAGE, argv, FLAGS);
  if (typeof values === "number") return values;
  if (!values.gateway) {
    process.stderr.write(`gatehouse bootstrap: --gateway is required\n\n${USAGE}`);
    return 2;
  }
  let xdsAddress = values["xds-address"];
  let insecure = values.insecure!;
  let standalone: { ipFamily: string; certDir?: string; sdsDir?: string } | undefined;
  if (!xdsAddress) {
    const stateDir = path.resolve(values["state-dir"] ?? DEFAULT_STATE_DIR);
    const up = readUpState(stateDir);
    if (!up) {
      process.stderr.write(`gatehouse bootstrap: --xds-address is required (no gatehouse up runs with state in ${stateDir})\n\n${USAGE}`);
      return 2;
    }
    xdsAddress = up.xdsAddress;
    insecure ||= !up.xdsTls;
    standalone = { ipFamily: "IPv4", ...(up.xdsTls ?? {}) };
  }
  const format = values.format!;
  if (format !== "yaml" && format !== "json") {
    process.stderr.write(`gatehouse bootstrap: -o must be yaml or json, got ${JSON.stringify(format)}\n`);
    return 2;
  }

  const [{ bootstrapOptions, checkedBootstrap }, { stringify }, { withoutXdsTls }] = await Promise.all([import("@gatehouse/xds"), import("yaml"), import("../up/bootstraps")]);
  const parsed = bootstrapOptions({
    gateway: values.gateway,
    xdsAddress,
    ipFamily: values["ip-family"] ?? standalone?.ipFamily,
    certDir: values["cert-dir"] ?? standalone?.certDir,
    sdsDir: values["sds-dir"] ?? standalone?.sdsDir,
    xdsServerName: values["xds-server-name"],
    nodeId: values["node-id"],
  });
  if (!parsed.ok) {
    process.stderr.write(`gatehouse bootstrap: ${parsed.error}\n`);
    return 2;
  }
  const checked = checkedBootstrap(parsed.options);
  if (checked.issues.length > 0) {
    // Options that produce a bootstrap Envoy would refuse (for example a bad --xds-server-name).
    for (const i of checked.issues) process.stderr.write(`gatehouse bootstrap: invalid: ${i.path}: ${i.message} [${i.rule}]\n`);
    return 1;
  }
  const render = (doc: unknown) => (format === "json" ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0 }));
  if (values["write-sds"] && !insecure) {
    await mkdir(parsed.options.sdsDir, { recursive: true });
    for (const [file, content] of Object.entries(checked.sdsFiles)) {
      // Envoy reads SDS files as JSON or YAML by extension; these are .json.
      await writeFile(path.join(parsed.options.sdsDir, file), `${JSON.stringify(content, null, 2)}\n`);
    }
  }
  process.stdout.write(render(insecure ? withoutXdsTls(checked.bootstrap) : checked.bootstrap));
  return 0;
}
