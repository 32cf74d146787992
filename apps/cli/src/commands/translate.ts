// `gatehouse translate -f <file|dir|-> --output status|ir|xds [--controller-name NAME] [-o yaml|json]`:
// reads Kubernetes YAML, translates it, prints every Gateway API object with the status the
// controller would write (or the IR, or Envoy resources). The statuses include what Envoy's
// own rules reject: each Gateway's xDS resources are built and validated as the xds-server
// does, and a cut rule, filter chain or cluster shows on its route, listener or policy.
// Manifests are read with libs/kube's rules, the same as the watcher's file provider: a
// broken file is reported on stderr with file and line, is left out whole and makes the exit
// code 2 (the other files are still translated); kinds Gatehouse does not handle are skipped
// with one line per kind on stderr (exit 0); an object defined twice uses its last definition
// (one warning line); input without any object says so and exits 2. A malformed object (the
// translator's diagnostics) is translated as absent, with one line on stderr.
import { DEFAULT_CONTROLLER_NAME, type ResourceSet } from "@gatehouse/gatewayapi";
import type { CheckedTranslation } from "@gatehouse/xds";
import { DEFAULT_IP_FAMILY, IP_FAMILIES, type IPFamily } from "@gatehouse/ir";
import { commandArgs } from "../command-line";

const USAGE = `usage: gatehouse translate -f <file|dir|-> [--output status|ir|xds] [--controller-name NAME] [--ip-family F] [-o yaml|json]

  -f, --file             manifest file, directory (*.yaml, *.yml, *.json, recursively) or - for stdin; repeatable
      --output           what to print: status (default), ir or xds
      --controller-name  GatewayClass controllerName to act for (default ${DEFAULT_CONTROLLER_NAME})
      --ip-family        proxies' IP family: ${IP_FAMILIES.join(", ")} (default ${DEFAULT_IP_FAMILY}, as the translator service)
  -o, --format           yaml (default) or json
`;

const OUTPUTS = ["status", "ir", "xds"];
const FORMATS = ["yaml", "json"];

export const CHOICES = { output: OUTPUTS, format: FORMATS, "ip-family": [...IP_FAMILIES] };

export const FLAGS = {
  file: { type: "string", short: "f", multiple: true },
  output: { type: "string", default: "status" },
  "controller-name": { type: "string", default: DEFAULT_CONTROLLER_NAME },
  format: { type: "string", short: "o", default: "yaml" },
  "ip-family": { type: "string", default: DEFAULT_IP_FAMILY },
} as const;

export async function run(argv: string[]): Promise<number> {
  const values = commandArgs("translate", USAGE, argv, FLAGS);
  if (typeof values === "number") return values;
  const output = values.output!;
  const format = values.format!;
  const ipFamily = values["ip-family"] as IPFamily;
  const flagError = !values.file?.length
    ? "-f (--file) is required: a manifest file, a directory or - for stdin"
    : !OUTPUTS.includes(output)
      ? `--output must be one of ${OUTPUTS.join(", ")}, got ${JSON.stringify(output)}`
      : !FORMATS.includes(format)
        ? `-o (--format) must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`
        : !IP_FAMILIES.includes(ipFamily)
          ? `--ip-family must be one of ${IP_FAMILIES.join(", ")}, got ${JSON.stringify(ipFamily)}`
          : undefined;
  if (flagError) {
    process.stderr.write(`gatehouse translate: ${flagError}\n\n${USAGE}`);
    return 2;
  }

  const [{ gatewayAPIObjects }, { translateInputs }, { yamlStream }] = await Promise.all([import("@gatehouse/gatewayapi"), import("../translated-inputs"), import("../output/documents")]);
  const controllerName = values["controller-name"]!;
  const translated = await translateInputs("translate", values.file!, { controllerName, ipFamily });
  if (typeof translated === "number") return translated;
  const { resources, checked, failed } = translated;
  await sayWhatIsNotTranslated(resources, checked, controllerName);
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
    text = render(yamlStream, irs, format, "array");
  } else {
    const updates = new Map(checked.statuses.map((s) => [`${s.kind}/${s.namespace ?? ""}/${s.name}`, s.status]));
    const docs = gatewayAPIObjects(resources).map((obj) => {
      const key = `${obj.kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;
      const status = updates.get(key);
      return status ? { ...obj, status } : obj;
    });
    text = render(yamlStream, docs, format, "List");
  }
  process.stdout.write(text);
  return failed ? 2 : 0;
}

/**
 * The same shape whatever the count: YAML, one document per item; JSON, a List of the
 * Kubernetes objects (as kubectl prints several) or an array of IRs.
 */
function render(yamlStream: (docs: unknown[]) => string, docs: unknown[], format: string, jsonShape: "List" | "array"): string {
  if (format === "json") return JSON.stringify(jsonShape === "List" ? { apiVersion: "v1", kind: "List", items: docs } : docs, null, 2) + "\n";
  return yamlStream(docs);
}

/** On stderr: Gateways that get no Envoy configuration and why, and the --controller-name hint. */
async function sayWhatIsNotTranslated(resources: ResourceSet, checked: CheckedTranslation, controllerName: string): Promise<void> {
  const { controllerHint, gatewaysWithoutConfig } = await import("../output/translation-notes");
  const input = { ...resources, irs: [...checked.irs.values()], statuses: checked.statuses, controllerName };
  for (const [gateway, why] of gatewaysWithoutConfig(input)) process.stderr.write(`gatehouse translate: Gateway ${gateway} gets no Envoy configuration: ${why}\n`);
  const hint = controllerHint(input);
  if (hint) process.stderr.write(`gatehouse translate: ${hint}\n`);
}
