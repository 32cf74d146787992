// The health and metrics endpoint of every service: /healthz (the process is alive),
// /readyz (every registered readiness check passes: typically "connected to NATS" and
// "initial replay done"), /metrics (prom-client, with Node's default metrics). Listens on
// `::` (dual stack), falling back to 0.0.0.0 where IPv6 is disabled.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, register as defaultRegistry, type Registry } from "prom-client";
import type { Logger } from "pino";
import type { Service } from "./service";
import { closeHttpServer, listenDualStack } from "./listen";

/** A check passes when it returns true; false or a string (the reason) fails it. */
export type HealthCheck = () => boolean | string | Promise<boolean | string>;

export interface HealthServerOptions {
  port: number;
  /** Default "::" with fallback to "0.0.0.0"; set to pin an address. */
  host?: string;
  logger?: Logger;
  /** Default: prom-client's global registry (where the bus and libraries register). */
  registry?: Registry;
  /** How long a check may take before it counts as failed (default 2 s). */
  checkTimeoutMs?: number;
}

const withDefaultMetrics = new WeakSet<Registry>();

export class HealthServer implements Service {
  readonly name = "health-server";
  private server: Server | undefined;
  private readonly readiness = new Map<string, HealthCheck>();
  private readonly liveness = new Map<string, HealthCheck>();
  private readonly registry: Registry;
  private boundHost = "";

  constructor(private readonly opts: HealthServerOptions) {
    this.registry = opts.registry ?? defaultRegistry;
    if (!withDefaultMetrics.has(this.registry)) {
      withDefaultMetrics.add(this.registry);
      collectDefaultMetrics({ register: this.registry });
    }
  }

  /** Registers a check /readyz waits for (replaces one of the same name). */
  addReadinessCheck(name: string, check: HealthCheck): void {
    this.readiness.set(name, check);
  }

  /** Registers a check whose failure makes /healthz fail (the process should be restarted). */
  addLivenessCheck(name: string, check: HealthCheck): void {
    this.liveness.set(name, check);
  }

  /** Port actually bound (useful with port 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get host(): string {
    return this.boundHost;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.boundHost = await listenDualStack(server, this.opts.port, { host: this.opts.host, logger: this.opts.logger });
    this.server = server;
    this.opts.logger?.info({ host: this.boundHost, port: this.port }, "health and metrics server listening");
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await closeHttpServer(server);
  }

  /** Runs the checks; the result /readyz reports. */
  async ready(): Promise<{ ok: boolean; checks: Record<string, string> }> {
    return this.run(this.readiness);
  }

  private async run(checks: Map<string, HealthCheck>): Promise<{ ok: boolean; checks: Record<string, string> }> {
    const results: Record<string, string> = {};
    let ok = true;
    await Promise.all(
      [...checks].map(async ([name, check]) => {
        let result: boolean | string;
        try {
          result = await withTimeout(Promise.resolve(check()), this.opts.checkTimeoutMs ?? 2000);
        } catch (err) {
          result = `error: ${(err as Error).message}`;
        }
        if (result === true) results[name] = "ok";
        else {
          ok = false;
          results[name] = result === false ? "failed" : result;
        }
      }),
    );
    return { ok, checks: results };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return reply(res, 405, "text/plain", "method not allowed\n");
      if (path === "/healthz" || path === "/livez") {
        const r = await this.run(this.liveness);
        return reply(res, r.ok ? 200 : 503, "application/json", JSON.stringify({ status: r.ok ? "ok" : "unhealthy", checks: r.checks }) + "\n");
      }
      if (path === "/readyz") {
        const r = await this.ready();
        return reply(res, r.ok ? 200 : 503, "application/json", JSON.stringify({ status: r.ok ? "ready" : "not ready", checks: r.checks }) + "\n");
      }
      if (path === "/metrics") {
        return reply(res, 200, this.registry.contentType, await this.registry.metrics());
      }
      reply(res, 404, "text/plain", "not found\n");
    } catch (err) {
      this.opts.logger?.error({ err, path }, "health server request failed");
      reply(res, 500, "text/plain", "internal error\n");
    }
  }
}

function reply(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(`timed out after ${ms} ms`), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
