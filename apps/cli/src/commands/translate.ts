// `gatehouse translate -f <file|dir|-> --output status|ir|xds [--controller-name NAME] [-o yaml|json]`:
// reads Kubernetes YAML, translates it, prints every Gateway API object with the status the
// controller would write (or the IR, or Envoy resources). A broken or unknown document is
// reported on stderr by name and makes the exit code 2; the rest is still translated.
import { parseArgs } from "node:util";
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import { readManifestInputs } from "../manifest-input";

const USAGE = `usage: gatehouse translate -f <file|dir|-> [--output status|ir|xds] [--controller-name NAME] [-o yaml|json]

  -f, --file             manifest file, directory (*.yaml, *.yml, *.json, recursively) or - for stdin; repeatable
      --output           what to print: status (default), ir or xds
      --controller-name  GatewayClass controllerName to act for (default ${DEFAULT_CONTROLLER_NAME})
  -o, --format           yaml (default) or json
`;

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        file: { type: "string", short: "f", multiple: true },
        output: { type: "string", default: "status" },
        "controller-name": { type: "string", default: DEFAULT_CONTROLLER_NAME },
        format: { type: "string", short: "o", default: "yaml" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`gatehouse translate: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const output = values.output!;
  const format = values.format!;
  if (!["status", "ir", "xds"].includes(output) || !["yaml", "json"].includes(format) || !values.file?.length) {
    process.stderr.write(`gatehouse translate: ${!values.file?.length ? "-f is required" : `invalid --output ${output} or -o ${format}`}\n\n${USAGE}`);
    return 2;
  }

  const [{ parseManifests, resourceSetFrom, translate, gatewayAPIObjects }, yaml] = await Promise.all([
    import("@gatehouse/gatewayapi"),
    import("yaml"),
  ]);
  const inputs = await readManifestInputs(values.file);
  let failed = inputs.errors.length > 0;
  for (const e of inputs.errors) process.stderr.write(`gatehouse translate: ${e}\n`);
  const objects = [];
  for (const input of inputs.files) {
    const parsed = parseManifests(input.text, input.name);
    for (const e of parsed.errors) {
      failed = true;
      process.stderr.write(`gatehouse translate: ${e.document}: ${e.message}\n`);
    }
    objects.push(...parsed.objects);
  }
  const resources = resourceSetFrom(objects);
  const result = translate(resources, { controllerName: values["controller-name"]! });

  let text: string;
  if (output === "xds") {
    const { renderXdsOutput } = await import("../output/xds-output");
    try {
      text = renderXdsOutput(result, resources, format as "yaml" | "json");
    } catch (err) {
      process.stderr.write(`gatehouse translate: ${(err as Error).message}\n`);
      return 2;
    }
  } else if (output === "ir") {
    text = render(yaml, result.irs, format);
  } else {
    const updates = new Map(result.statuses.map((s) => [`${s.kind}/${s.namespace ?? ""}/${s.name}`, s.status]));
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
