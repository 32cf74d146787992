// `gatehouse translate -f <file|dir|-> --output status|ir|xds [--controller-name NAME] [-o yaml|json]`:
// reads Kubernetes YAML, translates it, prints every Gateway API object with the status the
// controller would write (or the IR, or Envoy resources). The statuses include what Envoy's
// own rules reject: each Gateway's xDS resources are built and validated as the xds-server
// does, and a cut rule, filter chain or cluster shows on its route, listener or policy. A
// broken or unknown document is reported on stderr by name and makes the exit code 2; the
// rest is still translated.
import { DEFAULT_CONTROLLER_NAME, type ResourceSet, type StatusUpdate, type TranslationResult, type XdsFailureRecord } from "@gatehouse/gatewayapi";
import { commandArgs } from "../command-line";
import { readManifestInputs } from "../manifest-input";

const USAGE = `usage: gatehouse translate -f <file|dir|-> [--output status|ir|xds] [--controller-name NAME] [-o yaml|json]

  -f, --file             manifest file, directory (*.yaml, *.yml, *.json, recursively) or - for stdin; repeatable
      --output           what to print: status (default), ir or xds
      --controller-name  GatewayClass controllerName to act for (default ${DEFAULT_CONTROLLER_NAME})
  -o, --format           yaml (default) or json
`;

const OUTPUTS = ["status", "ir", "xds"];
const FORMATS = ["yaml", "json"];

export const CHOICES = { output: OUTPUTS, format: FORMATS };

export const FLAGS = {
  file: { type: "string", short: "f", multiple: true },
  output: { type: "string", default: "status" },
  "controller-name": { type: "string", default: DEFAULT_CONTROLLER_NAME },
  format: { type: "string", short: "o", default: "yaml" },
} as const;

export async function run(argv: string[]): Promise<number> {
  const values = commandArgs("translate", USAGE, argv, FLAGS);
  if (typeof values === "number") return values;
  const output = values.output!;
  const format = values.format!;
  const flagError = !values.file?.length
    ? "-f (--file) is required: a manifest file, a directory or - for stdin"
    : !OUTPUTS.includes(output)
      ? `--output must be one of ${OUTPUTS.join(", ")}, got ${JSON.stringify(output)}`
      : !FORMATS.includes(format)
        ? `-o (--format) must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`
        : undefined;
  if (flagError) {
    process.stderr.write(`gatehouse translate: ${flagError}\n\n${USAGE}`);
    return 2;
  }

  const [{ parseManifests, resourceSetFrom, translate, gatewayAPIObjects }, yaml] = await Promise.all([
    import("@gatehouse/gatewayapi"),
    import("yaml"),
  ]);
  const inputs = await readManifestInputs(values.file!);
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
  await sayWhatIsNotTranslated(resources, result, values["controller-name"]!);

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
    text = render(yaml, result.irs, format, "array");
  } else {
    const statuses = await withXdsFailures(result, resources, values["controller-name"]!);
    const updates = new Map(statuses.map((s) => [`${s.kind}/${s.namespace ?? ""}/${s.name}`, s.status]));
    const docs = gatewayAPIObjects(resources).map((obj) => {
      const key = `${obj.kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;
      const status = updates.get(key);
      return status ? { ...obj, status } : obj;
    });
    text = render(yaml, docs, format, "List");
  }
  process.stdout.write(text);
  return failed ? 2 : 0;
}

/**
 * The same shape whatever the count: YAML, one document per item; JSON, a List of the
 * Kubernetes objects (as kubectl prints several) or an array of IRs.
 */
function render(yaml: typeof import("yaml"), docs: unknown[], format: string, jsonShape: "List" | "array"): string {
  if (format === "json") return JSON.stringify(jsonShape === "List" ? { apiVersion: "v1", kind: "List", items: docs } : docs, null, 2) + "\n";
  // YAML 1.1 quoting ("on", "yes", "no" stay strings) so kubectl and other 1.1 parsers read it back.
  return docs.map((d) => `---\n${yaml.stringify(d, { lineWidth: 0, version: "1.1", aliasDuplicateObjects: false })}`).join("");
}

/** On stderr: Gateways that get no Envoy configuration and why, and the --controller-name hint. */
async function sayWhatIsNotTranslated(resources: ResourceSet, result: TranslationResult, controllerName: string): Promise<void> {
  const { controllerHint, gatewaysWithoutConfig } = await import("../output/translation-notes");
  const input = { ...resources, irs: result.irs, statuses: result.statuses, controllerName };
  for (const [gateway, why] of gatewaysWithoutConfig(input)) process.stderr.write(`gatehouse translate: Gateway ${gateway} gets no Envoy configuration: ${why}\n`);
  const hint = controllerHint(input);
  if (hint) process.stderr.write(`gatehouse translate: ${hint}\n`);
}

/**
 * The statuses with what Envoy would reject folded in: each Gateway's IR is built and
 * validated as the xds-server does, and the cut routes, filter chains and resources are
 * reported on the route, listener or policy they came from. libs/xds (and the Envoy protos,
 * loaded once on first use) is only loaded when there is an IR to check.
 */
async function withXdsFailures(result: TranslationResult, resources: ResourceSet, controllerName: string): Promise<StatusUpdate[]> {
  if (result.irs.length === 0) return result.statuses;
  const [{ buildGatewayResources, validateGatewayResources }, { applyXdsFailures }, { clusterIPFamily }, { gatewayKey }] = await Promise.all([
    import("@gatehouse/xds"),
    import("@gatehouse/gatewayapi"),
    import("../output/xds-output"),
    import("@gatehouse/ir"),
  ]);
  const defaultFamily = clusterIPFamily(resources);
  const failures = new Map<string, XdsFailureRecord[]>();
  for (const ir of result.irs) {
    const checked = validateGatewayResources(buildGatewayResources(ir, { ipFamily: ir.ipFamily ?? defaultFamily }));
    if (checked.failures.length > 0) failures.set(gatewayKey(ir.gateway), checked.failures);
  }
  if (failures.size === 0) return result.statuses;
  const routeKinds = { HTTPRoute: resources.httpRoutes, GRPCRoute: resources.grpcRoutes, TLSRoute: resources.tlsRoutes, TCPRoute: resources.tcpRoutes, UDPRoute: resources.udpRoutes } as Record<string, Map<string, { spec?: unknown }> | undefined>;
  return applyXdsFailures(result.statuses, failures, {
    controllerName,
    ruleCount: (kind, namespace, name) => {
      const rules = (routeKinds[kind]?.get(`${namespace}/${name}`)?.spec as { rules?: unknown[] } | undefined)?.rules;
      return Array.isArray(rules) ? rules.length : undefined;
    },
  });
}
