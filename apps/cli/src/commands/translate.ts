// `gatehouse translate -f <file|dir|-> --output status|ir|xds [--controller-name NAME] [-o yaml|json]`:
// reads Kubernetes YAML, translates it, prints every Gateway API object with the status the
// controller would write (or the IR, or Envoy resources). The statuses include what Envoy's
// own rules reject: each Gateway's xDS resources are built and validated as the xds-server
// does, and a cut rule, filter chain or cluster shows on its route, listener or policy.
// Manifests are read with libs/kube's rules, the same as the watcher's file provider: a
// broken file is reported on stderr with file and line, is left out whole and makes the exit
// code 2 (the other files are still translated); kinds Gatehouse does not handle are skipped
// with one line per kind on stderr (exit 0); an object defined twice uses its last definition
// (one warning line); input without any object says so and exits 2.
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import { DEFAULT_IP_FAMILY, IP_FAMILIES, type IPFamily } from "@gatehouse/ir";
import { commandArgs } from "../command-line";

const USAGE = `usage: gatehouse translate -f <file|dir|-> [--output status|ir|xds] [--controller-name NAME] [--ip-family F] [-o yaml|json]

  -f, --file             manifest file, directory (*.yaml, *.yml, *.json, recursively) or - for stdin; repeatable
      --output           what to print: status (default), ir or xds
      --controller-name  GatewayClass controllerName to act for (default ${DEFAULT_CONTROLLER_NAME})
      --ip-family        proxies' IP family: ${IP_FAMILIES.join(", ")} (default ${DEFAULT_IP_FAMILY}, as the translator service)
  -o, --format           yaml (default) or json
`;

export async function run(argv: string[]): Promise<number> {
  const values = commandArgs("translate", USAGE, argv, {
    file: { type: "string", short: "f", multiple: true },
    output: { type: "string", default: "status" },
    "controller-name": { type: "string", default: DEFAULT_CONTROLLER_NAME },
    format: { type: "string", short: "o", default: "yaml" },
    "ip-family": { type: "string", default: DEFAULT_IP_FAMILY },
  });
  if (typeof values === "number") return values;
  const output = values.output!;
  const format = values.format!;
  if (!["status", "ir", "xds"].includes(output) || !["yaml", "json"].includes(format) || !values.file?.length) {
    process.stderr.write(`gatehouse translate: ${!values.file?.length ? "-f is required" : `invalid --output ${output} or -o ${format}`}\n\n${USAGE}`);
    return 2;
  }
  const ipFamily = values["ip-family"] as IPFamily;
  if (!IP_FAMILIES.includes(ipFamily)) {
    process.stderr.write(`gatehouse translate: --ip-family must be one of ${IP_FAMILIES.join(", ")}, got ${JSON.stringify(ipFamily)}\n\n${USAGE}`);
    return 2;
  }

  const [{ resourceSetFrom, gatewayAPIObjects }, { translateAndCheck }, kube, yaml] = await Promise.all([
    import("@gatehouse/gatewayapi"),
    import("@gatehouse/xds"),
    import("@gatehouse/kube"),
    import("yaml"),
  ]);
  const inputs = await kube.readManifestInputs(values.file);
  const manifests = kube.collectManifests(inputs.files);
  const note = (line: string) => process.stderr.write(`gatehouse translate: ${line}\n`);
  inputs.errors.forEach(note);
  manifests.errors.map(kube.formatManifestError).forEach(note);
  manifests.skipped.map(kube.formatSkippedKind).forEach(note);
  manifests.duplicates.map(kube.formatDuplicate).forEach(note);
  const failed = inputs.errors.length > 0 || manifests.errors.length > 0;
  if (!failed && manifests.objects.length === 0 && manifests.skipped.length === 0) {
    note(`no Kubernetes objects in ${values.file.join(", ")}`);
    return 2;
  }
  const resources = resourceSetFrom(manifests.objects);
  // The same translate-and-check the translator service runs: statuses include what Envoy's
  // rules would cut, and every IR carries the IP family.
  const checked = translateAndCheck(resources, { controllerName: values["controller-name"]!, ipFamily });
  const irs = [...checked.irs.values()];

  let text: string;
  if (output === "xds") {
    const { renderXdsOutput } = await import("../output/xds-output");
    try {
      text = renderXdsOutput({ irs }, resources, format as "yaml" | "json");
    } catch (err) {
      process.stderr.write(`gatehouse translate: ${(err as Error).message}\n`);
      return 2;
    }
  } else if (output === "ir") {
    text = render(yaml, irs, format);
  } else {
    const updates = new Map(checked.statuses.map((s) => [`${s.kind}/${s.namespace ?? ""}/${s.name}`, s.status]));
    const docs = gatewayAPIObjects(resources).map((obj) => {
      const key = `${obj.kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;
      const status = updates.get(key);
      return status ? { ...obj, status } : obj;
    });
    text = render(yaml, docs, format);
  }
  process.stdout.write(text);
  return failed ? 2 : 0;
}

function render(yaml: typeof import("yaml"), docs: unknown[], format: string): string {
  if (format === "json") return JSON.stringify(docs.length === 1 ? docs[0] : { apiVersion: "v1", kind: "List", items: docs }, null, 2) + "\n";
  // YAML 1.1 quoting ("on", "yes", "no" stay strings) so kubectl and other 1.1 parsers read it back.
  return docs.map((d) => `---\n${yaml.stringify(d, { lineWidth: 0, version: "1.1", aliasDuplicateObjects: false })}`).join("");
}
