// The process every Gatehouse service is: a health server, the bus connection, and one
// component working on that connection, started in that order and closed in reverse (so
// the component stops before the connection drains). /readyz waits for NATS and for the
// component to say it is ready. A service's main is its configuration and this call.
import { defineService, HealthServer, runServices, ServiceRunner } from "@gatehouse/runtime";
import type { NatsConnection } from "nats";
import type { Logger } from "pino";
import { busConnectOptions, type BusConfig } from "./bus-config";
import { connectBus, natsConnected } from "./connect";

/** The component a service runs on its bus connection. */
export interface BusComponent {
  /** Whether it has done what /readyz waits for (e.g. the initial replay). */
  readonly ready: boolean;
  /** What /readyz says while not ready, when the component knows more than `readiness.notReady`. */
  readonly readinessDetail?: string;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface BusServiceOptions {
  /** The service's name: its bus client name. */
  readonly name: string;
  readonly config: BusConfig & { readonly healthPort: number };
  readonly logger: Logger;
  /** Name of the component (in start/close logs) and of its readiness check. */
  readonly component: string;
  /** Builds the component once the bus is connected. */
  readonly create: (nc: NatsConnection) => BusComponent;
  /** Readiness check of the component: its name, and what /readyz says until it is ready. */
  readonly readiness: { readonly name: string; readonly notReady: string };
}

/** Runs the service until a shutdown signal (see runServices). */
export async function runBusService(opts: BusServiceOptions): Promise<void> {
  const { logger } = opts;
  let nc: NatsConnection | undefined;
  let component: BusComponent | undefined;
  let connected: () => boolean = () => false;
  const health = new HealthServer({ port: opts.config.healthPort, logger });
  health.addReadinessCheck("nats", () => connected() || "not connected to NATS");
  health.addReadinessCheck(opts.readiness.name, () => component?.ready || component?.readinessDetail || opts.readiness.notReady);

  const runner = new ServiceRunner({ logger }).add(
    health,
    defineService(
      "nats",
      async () => {
        nc = await connectBus({ ...busConnectOptions(opts.config, opts.name), logger });
        connected = natsConnected(nc);
      },
      async () => void (await nc?.drain()),
    ),
    defineService(
      opts.component,
      async () => {
        component = opts.create(nc!);
        await component.start();
      },
      async () => component?.close(),
    ),
  );
  await runServices(runner, { logger });
}
