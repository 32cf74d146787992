// `gatehouse status`: the status table of a running Gatehouse, printed once. Connects to
// --nats, $NATS_URL, or the URL a running `gatehouse up` wrote to .gatehouse/up.json.
import path from "node:path";
import { connectBus } from "@gatehouse/bus";
import { commandArgs, quietLogger } from "../command-line";
import { StatusCollector } from "../up/status-collector";
import { renderStatus } from "../up/status-view";
import { DEFAULT_STATE_DIR, readUpState } from "../up/up-state";
import { checkUpProcesses } from "../up/process-check";
import { serviceRowsOf } from "../up/service-rows";
import { processAlive } from "../up/up-lock";

const USAGE = `usage: gatehouse status [--nats URL] [--state-dir DIR] [--timeout SECONDS]

Prints Gateways (listeners, attached routes, conditions) and connected proxies with their
ACKed versions. Without --nats it uses $NATS_URL or the URL in .gatehouse/up.json, and
first checks that the processes up.json names are alive (exit code 1 when one is not),
then shows up's services with their readiness (/readyz) and restarts, as up does.
`;

export const FLAGS = {
  nats: { type: "string" },
  "state-dir": { type: "string" },
  timeout: { type: "string" },
} as const;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs("status", USAGE, argv, FLAGS);
  if (typeof args === "number") return args;
  const state = readUpState(path.resolve(args["state-dir"] ?? DEFAULT_STATE_DIR));
  const url = args.nats ?? process.env.NATS_URL ?? state?.natsUrl;
  // Only when the table comes from that `up`: with --nats or NATS_URL the processes may be elsewhere.
  const check = state && url === state.natsUrl ? checkUpProcesses(state, processAlive) : undefined;
  if (check) process.stdout.write(check.lines.join("\n") + "\n\n");
  if (!url) {
    process.stderr.write("gatehouse status: no NATS server to ask: pass --nats URL, set NATS_URL, or start `gatehouse up` first\n");
    return 2;
  }
  const timeoutMs = Number(args.timeout ?? 10) * 1000;
  let nc;
  try {
    nc = await connectBus({ servers: url, name: "gatehouse-status", connectTimeoutMs: timeoutMs, logger: quietLogger() });
  } catch (err) {
    process.stderr.write(`gatehouse status: cannot connect to ${url}: ${(err as Error).message}${check && !check.allAlive ? " (gatehouse up is not running)" : ""}\n`);
    return 1;
  }
  const collector = new StatusCollector(nc);
  try {
    await collector.start();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    const outcome = await Promise.race([collector.ready.then(() => "ready" as const), timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout") process.stderr.write("gatehouse status: the bus did not answer in time; the table may be incomplete\n");
    const services = check && state ? await serviceRowsOf(state, processAlive) : undefined;
    process.stdout.write(renderStatus({ ...collector.view(), services, bootstraps: bootstrapsOf(state) }));
    return check && !check.allAlive ? 1 : 0;
  } catch (err) {
    process.stderr.write(`gatehouse status: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await collector.stop().catch(() => {});
    await nc.close();
  }
}

function bootstrapsOf(state: ReturnType<typeof readUpState>): Map<string, string> | undefined {
  if (!state?.bootstraps) return undefined;
  return new Map(Object.entries(state.bootstraps));
}
