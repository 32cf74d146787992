// `gatehouse convert ingress -f <file|dir|->`: Ingresses (with the IngressClasses and Services
// found beside them) to Gateway API YAML on stdout, and the report on stderr. Exit 0 when
// everything was carried over, 3 when something was not (or was carried over differently),
// 2 when an input could not be read.
import { DEFAULT_INGRESS_CONTROLLER, DEFAULT_GATEWAY_CLASS, DEFAULT_GATEWAY_NAMESPACE, kubeNameError, parseGatewayRef, type ConvertOptions } from "@gatehouse/ingress";
import { commandArgs } from "../command-line";

const USAGE = `usage: gatehouse convert ingress -f <file|dir|-> [options]

Converts networking.k8s.io/v1 Ingresses to Gateway API objects (stdout) and reports what
could not be carried over (stderr). Exit 0: all converted; 3: something not carried over;
2: unreadable input.

  -f, --file               manifest file, directory (*.yaml, *.yml, *.json, recursively) or - for stdin; repeatable
      --ingress-class      convert Ingresses of this class whatever its controller; "*" converts every Ingress; repeatable
      --controller-name    IngressClass spec.controller that is ours (default ${DEFAULT_INGRESS_CONTROLLER})
      --gateway NS/NAME    attach every route to this existing Gateway instead of generating one per IngressClass
      --gateway-class      gatewayClassName of the generated Gateways (default ${DEFAULT_GATEWAY_CLASS})
      --gateway-namespace  namespace of the generated Gateways (default ${DEFAULT_GATEWAY_NAMESPACE})
  -o, --format             yaml (default) or json
`;

export async function run(argv: string[]): Promise<number> {
  const [what, ...rest] = argv;
  if (what === "--help" || what === "-h") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (what !== "ingress") {
    process.stderr.write(`gatehouse convert: ${what ? `cannot convert ${JSON.stringify(what)}` : "what to convert is missing"} (only "ingress")\n\n${USAGE}`);
    return 2;
  }
  const values = commandArgs("convert ingress", USAGE, rest, {
    file: { type: "string", short: "f", multiple: true },
    "ingress-class": { type: "string", multiple: true },
    "controller-name": { type: "string", default: DEFAULT_INGRESS_CONTROLLER },
    gateway: { type: "string" },
    "gateway-class": { type: "string", default: DEFAULT_GATEWAY_CLASS },
    "gateway-namespace": { type: "string", default: DEFAULT_GATEWAY_NAMESPACE },
    format: { type: "string", short: "o", default: "yaml" },
  });
  if (typeof values === "number") return values;
  const options: ConvertOptions = {
    controllerName: values["controller-name"]!,
    ingressClasses: values["ingress-class"] ?? [],
    gatewayClassName: values["gateway-class"]!,
    gatewayNamespace: values["gateway-namespace"]!,
  };
  const bad = (message: string) => {
    process.stderr.write(`gatehouse convert ingress: ${message}\n\n${USAGE}`);
    return 2;
  };
  if (!values.file?.length) return bad("-f is required");
  if (values.format !== "yaml" && values.format !== "json") return bad(`-o must be yaml or json, got ${JSON.stringify(values.format)}`);
  if (values.gateway !== undefined) {
    const gateway = parseGatewayRef(values.gateway);
    if (typeof gateway === "string") return bad(`--gateway ${gateway}`);
    options.gateway = gateway;
  }
  for (const [flag, v] of [["--gateway-class", options.gatewayClassName!], ["--gateway-namespace", options.gatewayNamespace!]] as const) {
    const err = kubeNameError(v);
    if (err) return bad(`${flag} ${err}`);
  }

  const [{ convertIngresses, formatReports, isIncomplete }, { readKubeObjects }, { renderDocuments }] = await Promise.all([
    import("@gatehouse/ingress"),
    import("../kube-objects"),
    import("../output/documents"),
  ]);
  const input = await readKubeObjects(values.file);
  for (const e of input.errors) process.stderr.write(`gatehouse convert ingress: ${e}\n`);
  const ingresses = [];
  let notCarried = false;
  for (const obj of input.objects) {
    if (obj.kind !== "Ingress") continue;
    if (obj.apiVersion === "networking.k8s.io/v1") ingresses.push(obj);
    else {
      notCarried = true;
      process.stderr.write(`gatehouse convert ingress: Ingress ${obj.metadata?.namespace ?? "default"}/${obj.metadata?.name}: ${obj.apiVersion} is not read; convert it to networking.k8s.io/v1 first\n`);
    }
  }
  const result = convertIngresses(
    {
      ingresses,
      ingressClasses: input.objects.filter((o) => o.kind === "IngressClass" && o.apiVersion === "networking.k8s.io/v1"),
      services: input.objects.filter((o) => o.kind === "Service" && o.apiVersion === "v1"),
    },
    options,
  );
  process.stdout.write(result.objects.length > 0 ? renderDocuments(result.objects, values.format) : "");
  process.stderr.write(formatReports(result.reports));
  if (input.errors.length > 0) return 2;
  return notCarried || result.reports.some(isIncomplete) ? 3 : 0;
}
