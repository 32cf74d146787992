// Services and their runner (the runner pattern of Envoy Gateway): a process is a list of
// services (the bus connection, consumers, servers) started in order and closed in
// reverse, so nothing is closed while something started later still uses it.
import type { Logger } from "pino";

export interface Service {
  readonly name: string;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A Service from two functions. */
export function defineService(name: string, start: () => Promise<void> | void, close: () => Promise<void> | void = () => {}): Service {
  return {
    name,
    start: async () => void (await start()),
    close: async () => void (await close()),
  };
}

export interface RunnerOptions {
  logger?: Logger;
  /** Longest wait for one service to close before giving up on it (default 10 s). */
  closeTimeoutMs?: number;
}

export class ServiceRunner {
  private readonly services: Service[] = [];
  private readonly started: Service[] = [];
  private closing: Promise<boolean> | undefined;

  constructor(private readonly opts: RunnerOptions = {}) {}

  add(...services: Service[]): this {
    this.services.push(...services);
    return this;
  }

  /** Starts every service in order; if one fails, closes those already started and rethrows. */
  async start(): Promise<void> {
    for (const service of this.services) {
      if (this.closing) throw new Error(`runner closed while starting ${service.name}`);
      const t0 = Date.now();
      try {
        await service.start();
      } catch (err) {
        this.opts.logger?.error({ err, service: service.name }, "service failed to start");
        await this.close();
        throw err;
      }
      this.started.push(service);
      this.opts.logger?.info({ service: service.name, ms: Date.now() - t0 }, "service started");
    }
  }

  /**
   * Closes the started services in reverse order, each within the timeout. Resolves true
   * when every one closed cleanly. Safe to call more than once.
   */
  close(): Promise<boolean> {
    this.closing ??= (async () => {
      let clean = true;
      const timeout = this.opts.closeTimeoutMs ?? 10_000;
      for (const service of this.started.splice(0).reverse()) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            service.close(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`did not close within ${timeout} ms`)), timeout);
            }),
          ]);
          this.opts.logger?.info({ service: service.name }, "service closed");
        } catch (err) {
          clean = false;
          this.opts.logger?.error({ err, service: service.name }, "service did not close cleanly");
        } finally {
          clearTimeout(timer);
        }
      }
      return clean;
    })();
    return this.closing;
  }
}
