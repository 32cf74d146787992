// `gatehouse explain [URL] [--gateway NS/NAME] [-f FILE...]`: what a Gateway's proxies do
// with one request. The Envoy resources come from manifest files (-f, translated as
// `gatehouse translate` does) or from a running Gatehouse: the Gateway's IR in the bus's
// `ir` bucket and the EndpointSlices in `endpoints`, built and validated with the same
// functions the xds-server uses. The walk itself is libs/xds's explainRequest.
import path from "node:path";
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/gatewayapi";
import { DEFAULT_IP_FAMILY, IP_FAMILIES, type GatewayIR, type IPFamily } from "@gatehouse/ir";
import { commandArgsAndOperands, quietLogger } from "../command-line";
import { DEFAULT_STATE_DIR, readUpState } from "../up/up-state";

const USAGE = `usage: gatehouse explain [URL] [--gateway NS/NAME] [-f <file|dir|->] [request options]

Walks one request through a Gateway's Envoy configuration the way Envoy matches it: the
listener and filter chain, the virtual host, the route (and the HTTPRoute rule it came
from), rewrites, redirects, the backends with their weights and endpoints, or why the
request gets 404, 421, 500 or 503.

Where the configuration comes from:
  -f, --file             manifest file, directory or - (translated as \`gatehouse translate\` does); repeatable
      --controller-name  GatewayClass controllerName to act for with -f (default ${DEFAULT_CONTROLLER_NAME})
      --nats URL         without -f: a running Gatehouse's NATS (default $NATS_URL, or .gatehouse/up.json)
      --state-dir DIR    where \`gatehouse up\` keeps up.json (default .gatehouse)
      --ip-family        the proxies' IP family: ${IP_FAMILIES.join(", ")} (default ${DEFAULT_IP_FAMILY}, as the
                         translator service; a running Gatehouse's IRs carry their own)
      --gateway NS/NAME  the Gateway (NAME alone: namespace default); optional when there is one

The request (a URL, or its parts):
      --host HOST        Host header (and SNI with --tls)
      --path PATH        path and query string (default /)
      --method METHOD    (default GET)
  -H, --header K=V       request header; repeatable
      --sni NAME         TLS server name (implies TLS)
      --tls              the client speaks TLS (an https URL does too)
      --port PORT        destination port (default: the URL's, else the Gateway's only port, else 80/443)
  -o, --format           text (default) or json
`;

export const FLAGS = {
  file: { type: "string", short: "f", multiple: true },
  "controller-name": { type: "string" },
  nats: { type: "string" },
  "state-dir": { type: "string" },
  "ip-family": { type: "string" },
  gateway: { type: "string" },
  host: { type: "string" },
  path: { type: "string" },
  method: { type: "string" },
  header: { type: "string", short: "H", multiple: true },
  sni: { type: "string" },
  tls: { type: "boolean" },
  port: { type: "string" },
  format: { type: "string", short: "o" },
} as const;

const FORMATS = ["text", "json"];
export const CHOICES = { "ip-family": [...IP_FAMILIES], format: FORMATS };

/** The Envoy configuration source: a Gateway's IR and the EndpointSlices of its Services. */
interface Loaded {
  source: string;
  irs: GatewayIR[];
  slicesByService: Map<string, readonly unknown[]>;
  /** Why a Gateway has no IR (not ours, not accepted), by "ns/name". */
  noIrReasons: Map<string, string>;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = commandArgsAndOperands("explain", USAGE, argv, FLAGS, 1);
  if (typeof parsed === "number") return parsed;
  const { values: args, operands } = parsed;
  const fail = (message: string) => {
    process.stderr.write(`gatehouse explain: ${message}\n`);
    return 2;
  };
  const format = args.format ?? "text";
  if (!FORMATS.includes(format)) return fail(`--format (-o) must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  const ipFamily = (args["ip-family"] ?? DEFAULT_IP_FAMILY) as IPFamily;
  if (!IP_FAMILIES.includes(ipFamily)) return fail(`--ip-family must be one of ${IP_FAMILIES.join(", ")}, got ${JSON.stringify(ipFamily)}`);
  let port: number | undefined;
  if (args.port !== undefined) {
    port = Number(args.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(`--port must be a port number (1-65535), got ${JSON.stringify(args.port)}`);
  }
  if (operands.length === 0 && args.host === undefined) return fail(`say which request: a URL (gatehouse explain http://app.example.com/path) or --host\n\n${USAGE}`);

  let loaded: Loaded | number;
  try {
    loaded = args.file?.length ? await fromFiles(args.file, args["controller-name"] ?? DEFAULT_CONTROLLER_NAME, ipFamily) : await fromBus(args.nats, args["state-dir"]);
  } catch (err) {
    process.stderr.write(`gatehouse explain: ${(err as Error).message}\n`);
    return 1;
  }
  if (typeof loaded === "number") return loaded;

  const { gatewayKey } = await import("@gatehouse/ir");
  const keys = loaded.irs.map((ir) => gatewayKey(ir.gateway));
  let wanted = args.gateway;
  if (wanted !== undefined && !wanted.includes("/")) wanted = `default/${wanted}`;
  if (wanted === undefined) {
    if (keys.length !== 1) {
      return fail(keys.length === 0 ? `no Gateway has an Envoy configuration in ${loaded.source}${reasons(loaded)}` : `--gateway is needed: ${keys.join(", ")} have Envoy configurations`);
    }
    wanted = keys[0];
  }
  const ir = loaded.irs.find((i) => gatewayKey(i.gateway) === wanted);
  if (!ir) {
    const why = loaded.noIrReasons.get(wanted);
    return fail(why ? `Gateway ${wanted} has no Envoy configuration: ${why}` : `no Gateway ${wanted} in ${loaded.source}${keys.length ? ` (there are ${keys.join(", ")})` : ""}`);
  }

  const [{ gatewayEnvoyResources, explainConfig }, { explainRequest, buildExplainRequest }] = await Promise.all([import("../output/xds-output"), import("@gatehouse/xds")]);
  // An IR carries its family (translateAndCheck, the translator); --ip-family covers an IR without one.
  const family = ir.ipFamily ?? ipFamily;
  const config = explainConfig(gatewayEnvoyResources(ir, loaded.slicesByService, family));
  const built = buildExplainRequest(
    { url: operands[0], host: args.host, path: args.path, method: args.method, headers: args.header, sni: args.sni, tls: args.tls, port },
    config,
  );
  if ("error" in built) return fail(built.error);
  const explanation = explainRequest(config, built.request);
  if (format === "json") {
    process.stdout.write(JSON.stringify({ gateway: wanted, source: loaded.source, ipFamily: family, ...explanation }, null, 2) + "\n");
  } else {
    const { renderExplanation } = await import("../output/explain-view");
    process.stdout.write(renderExplanation(wanted, `${loaded.source}, ${family}`, explanation, built.notes));
  }
  return 0;
}

function reasons(loaded: Loaded): string {
  if (loaded.noIrReasons.size === 0) return "";
  return `:\n${[...loaded.noIrReasons].map(([k, why]) => `  Gateway ${k}: ${why}`).join("\n")}`;
}

async function fromFiles(files: string[], controllerName: string, ipFamily: IPFamily): Promise<Loaded | number> {
  const [{ translateInputs }, { gatewaysWithoutConfig }] = await Promise.all([import("../translated-inputs"), import("../output/translation-notes")]);
  // The translation `gatehouse translate` and the translator service run, IP family included.
  const translated = await translateInputs("explain", files, { controllerName, ipFamily });
  if (typeof translated === "number") return translated;
  const { resources, checked } = translated;
  const irs = [...checked.irs.values()];
  const noIrReasons = gatewaysWithoutConfig({ ...resources, irs, statuses: checked.statuses, controllerName });
  return { source: files.join(", "), irs, slicesByService: resources.slicesByService, noIrReasons };
}

/** The Gateways' IRs and all EndpointSlices of a running Gatehouse, read once from the bus. */
async function fromBus(natsFlag: string | undefined, stateDirFlag: string | undefined): Promise<Loaded | number> {
  const state = readUpState(path.resolve(stateDirFlag ?? DEFAULT_STATE_DIR));
  const url = natsFlag ?? process.env.NATS_URL ?? state?.natsUrl;
  if (!url) {
    process.stderr.write("gatehouse explain: no configuration to explain: pass -f FILE, or --nats URL / NATS_URL, or start `gatehouse up` first\n");
    return 2;
  }
  const [{ connectBus, watchBucket }, { serviceKeyOfSlice }] = await Promise.all([import("@gatehouse/bus"), import("@gatehouse/endpoints")]);
  const nc = await connectBus({ servers: url, name: "gatehouse-explain", connectTimeoutMs: 10_000, logger: quietLogger() });
  try {
    const irs = new Map<string, GatewayIR>();
    const slices = new Map<string, unknown[]>();
    const log = quietLogger();
    const irWatch = await watchBucket(nc, "ir", { onValue: (_k, record) => void irs.set(record.gatewayKey, record.ir), onDelete: () => {} }, { logger: log, deadLetter: false });
    const epWatch = await watchBucket(
      nc,
      "endpoints",
      {
        onValue: (_k, slice) => {
          const svc = serviceKeyOfSlice(slice);
          if (svc) slices.set(svc, [...(slices.get(svc) ?? []), slice]);
        },
        onDelete: () => {},
      },
      { logger: log, deadLetter: false },
    );
    await Promise.all([irWatch.replayed, epWatch.replayed]);
    await Promise.all([irWatch.stop(), epWatch.stop()]);
    return { source: `the bus at ${url}`, irs: [...irs.values()], slicesByService: slices, noIrReasons: new Map() };
  } finally {
    await nc.close();
  }
}
